package io.caudal.transcode.core.plan;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * What the complexity probe encodes: a few one-second stretches spread evenly over the title,
 * each at every candidate size and at a few constant rate factors.
 *
 * <p>One stretch per {@value #SECONDS_PER_WINDOW} s of title (at least one, at most
 * {@value #MAX_WINDOWS}) keeps the probe's cost a small, bounded share of the encode's: each
 * probed second costs about {@code crfs × (all sizes)} of a second of encode.
 *
 * @param windows the sampled stretches
 * @param sizes the candidate sizes, largest first
 * @param crfs the constant rate factors each stretch and size is encoded at
 */
public record ProbePlan(List<Stretch> windows, List<Size> sizes, int[] crfs) implements Serializable {
  public static final double SECONDS_PER_WINDOW = 20;
  public static final int MAX_WINDOWS = 12;
  /** Spans the useful range: 22 is near-transparent at full size, 36 starved. */
  public static final int[] CRFS = {22, 28, 34};

  public static ProbePlan of(ChunkPlan plan, List<Size> sizes) {
    FrameRate rate = plan.frameRate();
    long total = plan.totalFrames();
    long windowFrames = Math.max(1, Math.min(total, Math.round(rate.fps())));
    double seconds = total / rate.fps();
    int count = (int) Math.max(1, Math.min(MAX_WINDOWS, Math.floor(seconds / SECONDS_PER_WINDOW)));
    List<Stretch> windows = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      long centre = Math.round((i + 0.5) * total / count);
      long start = Math.max(0, Math.min(total - windowFrames, centre - windowFrames / 2));
      windows.add(new Stretch(start, start + windowFrames, rate.frameTimeMicros(start)));
    }
    return new ProbePlan(List.copyOf(windows), List.copyOf(sizes), CRFS.clone());
  }

  public long probedFrames() {
    return windows.stream().mapToLong(Stretch::frames).sum();
  }
}
