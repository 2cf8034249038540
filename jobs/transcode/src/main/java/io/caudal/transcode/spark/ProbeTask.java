package io.caudal.transcode.spark;

import io.caudal.transcode.core.media.EncoderSettings;
import io.caudal.transcode.core.media.RateQuality;
import io.caudal.transcode.core.media.SourceInfo;
import io.caudal.transcode.core.plan.FrameRate;
import io.caudal.transcode.core.plan.Size;
import io.caudal.transcode.core.plan.Stretch;
import io.caudal.transcode.core.plan.VideoCodec;
import java.io.File;
import java.io.IOException;
import java.io.Serializable;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.util.List;

/**
 * One task of the complexity probe: one sampled stretch of the title at one candidate size,
 * encoded at each of the probe's rate factors and measured against the source.
 */
final class ProbeTask implements Serializable {
  /** What the task is handed. */
  record Work(String sourceUri, HadoopConf conf, SourceInfo info, FrameRate rate, int segmentFrames, Stretch window,
      Size size, int[] crfs, EncoderSettings settings, VideoCodec codec) implements Serializable {}

  /** What it found: one measurement per rate factor, and the CPU time the task used. */
  record Result(Size size, int[] crfs, List<RateQuality.Measured> measured, long cpuNanos) implements Serializable {}

  private ProbeTask() {}

  static Result run(Work work) throws IOException {
    long cpu = threadCpu();
    File source = LocalSource.copyOf(work.conf().get(), work.sourceUri());
    File dir = Files.createTempDirectory("caudal-probe").toFile();
    try {
      List<RateQuality.Measured> measured = RateQuality.probe(source, work.info(), work.rate(), work.segmentFrames(),
          work.window(), work.size(), work.crfs(), work.settings(), dir, work.codec());
      return new Result(work.size(), work.crfs(), measured, threadCpu() - cpu);
    } finally {
      EncodeTask.deleteTree(dir);
    }
  }

  /**
   * CPU time of the task's thread: with one encoder thread per task (the default) libx264 and
   * the decoders run on it, so this is the task's whole cost.
   */
  static long threadCpu() {
    return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
  }
}
