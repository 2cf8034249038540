package io.caudal.transcode;

import io.caudal.schemas.cli.CommandLines;
import io.caudal.schemas.cli.UsageException;
import io.caudal.transcode.core.media.MediaException;
import io.caudal.transcode.core.pkg.Track;
import io.caudal.transcode.spark.Progress;
import io.caudal.transcode.spark.Transcoder;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Optional;
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
    System.exit(run(args, System.out, System.err));
  }

  /** Runs the job; returns the exit code: 0 done (or already published), 1 failed, 2 bad options. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    Optional<TranscodeOptions> parsed;
    try {
      parsed = TranscodeOptions.parse(args);
    } catch (UsageException e) {
      return CommandLines.refuse("caudal-transcode", e, err);
    }
    return parsed.map(options -> transcode(options, out, err)).orElseGet(() -> help(out));
  }

  private static int help(PrintStream out) {
    out.print(TranscodeOptions.usage());
    return 0;
  }

  private static int transcode(TranscodeOptions options, PrintStream out, PrintStream err) {
    try {
      // A protected title without a master key is refused before Spark starts.
      Transcoder.masterKey(options);
    } catch (UsageException e) {
      return CommandLines.refuse("caudal-transcode", e, err);
    } catch (Exception e) {
      err.println("caudal-transcode: " + userMessage(e));
      return 1;
    }
    SparkConf conf = new SparkConf().setAppName("caudal-transcode: " + options.name())
        .setIfMissing("spark.master", "local[*]");
    try (JavaSparkContext spark = new JavaSparkContext(conf)) {
      spark.setLogLevel("WARN");
      Progress progress = new Progress(out);
      spark.sc().addSparkListener(progress);
      Transcoder.Result result = new Transcoder(spark, options, progress).run();
      printSummary(result, out);
      return 0;
    } catch (UsageException e) {
      return CommandLines.refuse("caudal-transcode", e, err);
    } catch (Exception e) {
      err.println("caudal-transcode: " + userMessage(e));
      return 1;
    }
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

  private static void printSummary(Transcoder.Result result, PrintStream out) {
    if (!result.published()) {
      out.println("Already published: " + result.titleUri());
      return;
    }
    out.println();
    out.println("Published title " + result.titleId() + " (" + result.durationMs() / 1000.0 + " s)");
    for (Track t : result.tracks()) {
      out.printf(Locale.ROOT, "  %-6s %-11s %-14s avg %6d kbit/s  peak %6d kbit/s  %3d segments  %,d bytes%n",
          t.id(), t.video() ? t.width() + "x" + t.height() : t.channels() + " ch", t.codecs(),
          t.averageBitsPerSecond() / 1000, t.peakBitsPerSecond() / 1000, t.segments().size(), t.bytes());
    }
    out.println("  HLS:  " + result.titleUri() + "/master.m3u8");
    out.println("  DASH: " + result.titleUri() + "/manifest.mpd");
  }
}
