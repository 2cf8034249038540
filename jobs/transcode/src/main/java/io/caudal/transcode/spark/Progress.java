package io.caudal.transcode.spark;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

/**
 * Progress of a transcode on the driver's terminal: one line per stage and a running count of
 * finished tasks, fed by a Spark listener.
 */
public final class Progress extends SparkListener {
  private final PrintStream out;
  private final long started = System.nanoTime();
  private final AtomicInteger done = new AtomicInteger();
  private volatile String stage = "";
  private volatile int total;

  public Progress(PrintStream out) {
    this.out = out;
  }

  void line(String text) {
    out.printf(Locale.ROOT, "[transcode %6.1fs] %s%n", elapsed(), text);
  }

  void stage(String name, int tasks) {
    stage = name;
    total = tasks;
    done.set(0);
    line(name + ": " + tasks + " tasks");
  }

  @Override
  public void onTaskEnd(SparkListenerTaskEnd taskEnd) {
    int n = done.incrementAndGet();
    boolean ok = taskEnd.taskInfo().successful();
    line(String.format(Locale.ROOT, "%s: %d/%d tasks done%s", stage, n, total, ok ? "" : " (one failed)"));
  }

  private double elapsed() {
    return (System.nanoTime() - started) / 1e9;
  }
}
