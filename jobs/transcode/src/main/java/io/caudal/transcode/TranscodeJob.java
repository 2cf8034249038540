package io.caudal.transcode;

import io.caudal.transcode.core.media.MediaException;
import io.caudal.transcode.core.pkg.Track;
import io.caudal.transcode.spark.Progress;
import io.caudal.transcode.spark.Transcoder;
import java.util.Locale;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Entry point: {@code spark-submit --class io.caudal.transcode.TranscodeJob caudal-transcode.jar
 * --input URI --name N --category C --root URI}. Locally {@code bin/caudal transcode} runs the
 * same jar with Spark on the classpath and {@code local[*]}.
 */
public final class TranscodeJob {
  private TranscodeJob() {}

  public static void main(String[] args) {
    TranscodeOptions options;
    try {
      options = TranscodeOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("caudal-transcode: " + e.getMessage());
      System.err.println(TranscodeOptions.USAGE);
      System.exit(2);
      return;
    }
    SparkConf conf = new SparkConf().setAppName("caudal-transcode: " + options.name())
        .setIfMissing("spark.master", "local[*]");
    int status;
    try (JavaSparkContext spark = new JavaSparkContext(conf)) {
      spark.setLogLevel("WARN");
      Progress progress = new Progress(System.out);
      spark.sc().addSparkListener(progress);
      Transcoder.Result result = new Transcoder(spark, options, progress).run();
      printSummary(result);
      status = 0;
    } catch (Exception e) {
      System.err.println("caudal-transcode: " + userMessage(e));
      status = 1;
    }
    System.exit(status);
  }

  /** The one line a user needs: our own message if a task threw one, else the first line. */
  static String userMessage(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof TranscodeException || t instanceof MediaException) {
        return t.getMessage();
      }
    }
    String message = e.getMessage() == null ? e.toString() : e.getMessage();
    for (String marker : new String[] {"TranscodeException: ", "MediaException: "}) {
      int at = message.indexOf(marker);
      if (at >= 0) {
        return message.substring(at + marker.length()).lines().findFirst().orElse(message);
      }
    }
    return message.lines().findFirst().orElse(message);
  }

  private static void printSummary(Transcoder.Result result) {
    if (!result.published()) {
      System.out.println("Already published: " + result.titleUri());
      return;
    }
    System.out.println();
    System.out.println("Published title " + result.titleId() + " (" + result.durationMs() / 1000.0 + " s)");
    for (Track t : result.tracks()) {
      System.out.printf(Locale.ROOT, "  %-6s %-11s %-14s avg %6d kbit/s  peak %6d kbit/s  %3d segments  %,d bytes%n",
          t.id(), t.video() ? t.width() + "x" + t.height() : t.channels() + " ch", t.codecs(),
          t.averageBitsPerSecond() / 1000, t.peakBitsPerSecond() / 1000, t.segments().size(), t.bytes());
    }
    System.out.println("  HLS:  " + result.titleUri() + "/master.m3u8");
    System.out.println("  DASH: " + result.titleUri() + "/manifest.mpd");
  }
}
