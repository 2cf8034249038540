package io.caudal.transcode.core.media;

import static org.bytedeco.ffmpeg.global.avcodec.*;
import static org.bytedeco.ffmpeg.global.avformat.*;
import static org.bytedeco.ffmpeg.global.avutil.*;

import io.caudal.transcode.core.text.AssText;
import io.caudal.transcode.core.text.Cue;
import io.caudal.transcode.core.lang.Languages;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avcodec.AVSubtitle;
import org.bytedeco.ffmpeg.avcodec.AVSubtitleRect;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVDictionaryEntry;
import org.bytedeco.ffmpeg.avutil.AVRational;

/**
 * Reads the text streams of a media file (mov_text in MP4, subrip and webvtt in Matroska, a bare
 * .srt or .vtt file) with libavformat and FFmpeg's own subtitle decoders. Bitmap subtitles
 * (PGS, DVB, VobSub) are not text and are left out.
 */
public final class TextStreamReader {
  private TextStreamReader() {}

  /**
   * One text stream.
   *
   * @param index the stream's index in the file
   * @param codec FFmpeg's name of its codec ("mov_text", "subrip", "webvtt")
   * @param language BCP 47, from the stream's language tag; "und" when it has none
   * @param forced its disposition says forced
   * @param hearingImpaired its disposition says hearing impaired (SDH)
   * @param cues in the order of the file, times from {@code originMicros}
   */
  public record TextStream(int index, String codec, String language, boolean forced, boolean hearingImpaired,
      List<Cue> cues) {}

  /**
   * Every text stream of a file.
   *
   * @param originMicros the file time the cues count from (the first video frame's, so cues line up
   *     with the packaged video)
   */
  public static List<TextStream> read(File file, long originMicros) {
    String path = file.getPath();
    try (MediaInput input = new MediaInput(path)) {
      Map<Integer, AVCodecContext> decoders = new LinkedHashMap<>();
      Map<Integer, List<Cue>> cues = new LinkedHashMap<>();
      try {
        for (int i = 0; i < input.format().nb_streams(); i++) {
          AVStream stream = input.format().streams(i);
          if (stream.codecpar().codec_type() != AVMEDIA_TYPE_SUBTITLE) {
            continue;
          }
          AVCodec codec = avcodec_find_decoder(stream.codecpar().codec_id());
          if (codec == null || (avcodec_descriptor_get(stream.codecpar().codec_id()).props()
              & AV_CODEC_PROP_TEXT_SUB) == 0) {
            continue;
          }
          AVCodecContext decoder = avcodec_alloc_context3(codec);
          avcodec_parameters_to_context(decoder, stream.codecpar());
          decoder.pkt_timebase(stream.time_base());
          int ret = avcodec_open2(decoder, codec, (AVDictionary) null);
          if (ret < 0) {
            avcodec_free_context(decoder);
            throw new MediaException(path, "cannot open the decoder of text stream " + i + ": " + Ffmpeg.errorText(ret));
          }
          decoders.put(i, decoder);
          cues.put(i, new ArrayList<>());
        }
        if (decoders.isEmpty()) {
          return List.of();
        }
        AVSubtitle subtitle = new AVSubtitle();
        int[] got = new int[1];
        AVRational micros = av_make_q(1, 1_000_000);
        AVPacket packet;
        while ((packet = input.nextPacket()) != null) {
          AVCodecContext decoder = decoders.get(packet.stream_index());
          if (decoder == null || packet.pts() == AV_NOPTS_VALUE) {
            continue;
          }
          int ret = avcodec_decode_subtitle2(decoder, subtitle, got, packet);
          if (ret < 0 || got[0] == 0) {
            continue;
          }
          try {
            AVRational tb = input.format().streams(packet.stream_index()).time_base();
            long start = av_rescale_q(packet.pts(), tb, micros) - originMicros;
            long end = packet.duration() > 0
                ? av_rescale_q(packet.pts() + packet.duration(), tb, micros) - originMicros
                : start + Integer.toUnsignedLong(subtitle.end_display_time()) * 1000;
            StringBuilder text = new StringBuilder();
            for (int r = 0; r < subtitle.num_rects(); r++) {
              AVSubtitleRect rect = subtitle.rects(r);
              String part = rect.type() == SUBTITLE_ASS && rect.ass() != null
                  ? AssText.toCueText(rect.ass().getString(StandardCharsets.UTF_8))
                  : rect.type() == SUBTITLE_TEXT && rect.text() != null
                      ? AssText.toCueText(rect.text().getString(StandardCharsets.UTF_8)) : "";
              if (!part.isEmpty()) {
                text.append(text.length() > 0 ? "\n" : "").append(part);
              }
            }
            cues.get(packet.stream_index()).add(new Cue(Math.round(start / 1000.0), Math.round(end / 1000.0),
                text.toString()));
          } finally {
            avsubtitle_free(subtitle);
          }
        }
      } finally {
        decoders.values().forEach(d -> avcodec_free_context(d));
      }
      List<TextStream> streams = new ArrayList<>();
      for (Map.Entry<Integer, List<Cue>> e : cues.entrySet()) {
        AVStream stream = input.format().streams(e.getKey());
        AVDictionaryEntry language = av_dict_get(stream.metadata(), "language", null, 0);
        int disposition = stream.disposition();
        streams.add(new TextStream(e.getKey(), avcodec_get_name(stream.codecpar().codec_id()).getString(),
            Languages.normalise(language == null ? null : language.value().getString(StandardCharsets.UTF_8)),
            (disposition & AV_DISPOSITION_FORCED) != 0, (disposition & AV_DISPOSITION_HEARING_IMPAIRED) != 0,
            List.copyOf(e.getValue())));
      }
      return streams;
    }
  }
}
