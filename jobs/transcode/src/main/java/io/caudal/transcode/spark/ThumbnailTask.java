package io.caudal.transcode.spark;

import io.caudal.transcode.core.trick.ThumbnailSpec;
import io.caudal.transcode.core.trick.ThumbnailSprites;
import io.caudal.transcode.core.trick.ThumbnailTrack;
import java.io.File;
import java.io.IOException;
import java.io.Serializable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * The Spark task that makes a title's thumbnail sprites into the staging folder, run beside the
 * encode tasks: it decodes one frame near each thumbnail's time, far less than a chunk's encode.
 */
final class ThumbnailTask implements Serializable {
  /** What the task made, and the CPU time it took. */
  record Done(ThumbnailTrack thumbnails, long cpuNanos) implements Serializable {}

  private ThumbnailTask() {}

  static Done run(TitleContext title, ThumbnailSpec spec) throws IOException {
    long cpu = ProbeTask.threadCpu();
    Configuration conf = title.conf().get();
    File source = LocalSource.copyOf(conf, title.sourceUri());
    ThumbnailTrack made = ThumbnailSprites.make(source, title.info(), title.plan().frameRate(),
        title.plan().totalFrames(), spec, title.settings().threads(), (number, jpeg) -> TitleStore.write(conf,
            new Path(title.staging(), ThumbnailTrack.DIR + "/" + ThumbnailTrack.fileName(number)), jpeg));
    return new Done(made, ProbeTask.threadCpu() - cpu);
  }
}
