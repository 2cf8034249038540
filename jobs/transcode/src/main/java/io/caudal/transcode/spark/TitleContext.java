package io.caudal.transcode.spark;

import io.caudal.transcode.core.audio.AudioRenditionPlan;
import io.caudal.transcode.core.audio.LoudnessTarget;
import io.caudal.transcode.core.media.EncoderSettings;
import io.caudal.transcode.core.media.SourceInfo;
import io.caudal.transcode.core.plan.ChunkPlan;
import io.caudal.transcode.core.plan.RungTarget;
import io.caudal.transcode.core.protect.TrackKey;
import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * Everything the encode tasks of one title share, shipped to each of them with its work.
 *
 * @param sourceUri the source, read by each task through Hadoop's FileSystem
 * @param info what probing the source found
 * @param plan the chunks and segments; null for a title without video
 * @param ladder the rungs to encode; empty for a title without video
 * @param segmentMicros the segments' length
 * @param settings encoder settings
 * @param staging the folder the title is written to before it is published
 * @param conf the driver's Hadoop configuration
 * @param keys each track's key by track id; empty for a clear title
 * @param audio the audio renditions to make, the default first; empty without audio
 * @param loudness what the audio renditions are normalised to
 */
record TitleContext(String sourceUri, SourceInfo info, ChunkPlan plan, List<RungTarget> ladder, long segmentMicros,
    EncoderSettings settings, String staging, HadoopConf conf, Map<String, TrackKey> keys,
    List<AudioRenditionPlan> audio, LoudnessTarget loudness) implements Serializable {

  /** The audio rendition of a track id. */
  AudioRenditionPlan audioOf(String trackId) {
    return audio.stream().filter(a -> a.trackId().equals(trackId)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no audio rendition " + trackId));
  }

  /** The key of a track, or null when the title is clear. */
  TrackKey keyOf(String trackId) {
    return keys.get(trackId);
  }
}
