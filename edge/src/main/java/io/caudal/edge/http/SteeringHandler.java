package io.caudal.edge.http;

import io.caudal.edge.steer.SteeringBook;
import io.caudal.edge.steer.SteeringManifest;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.eclipse.jetty.util.Fields;

/**
 * Content steering: {@code /steering/hls/<region>} and {@code /steering/dash/<region>} answer the
 * region's steering manifest from memory, without waiting on anything, so they are answered on the
 * thread that read the request.
 */
public final class SteeringHandler {

  /** The two steering protocols: the same manifest, asked for at their own path with their own query parameters. */
  enum Format {
    HLS("/steering/hls/", "_HLS_pathway", "_HLS_throughput"),
    DASH("/steering/dash/", "_DASH_pathway", "_DASH_throughput");

    final String prefix;
    final String pathwayParameter;
    final String throughputParameter;

    Format(String prefix, String pathwayParameter, String throughputParameter) {
      this.prefix = prefix;
      this.pathwayParameter = pathwayParameter;
      this.throughputParameter = throughputParameter;
    }

    /** The path of a region's steering manifest. */
    String path(String region) {
      return prefix + region;
    }
  }

  private final SteeringBook book;
  private final Supplier<Set<String>> offered;
  private final String publicUrl;
  private final EdgeMetrics metrics;
  private final String region;

  /**
   * @param offered the pathway ids the served manifests carry, this server first, as they are at each request
   * @param publicUrl this server's base URL, where players ask next
   * @param region this server's region; other regions are answered only once qoe-stream decided for them
   */
  public SteeringHandler(SteeringBook book, Supplier<Set<String>> offered, String publicUrl, EdgeMetrics metrics,
      String region) {
    this.book = book;
    this.offered = offered;
    this.publicUrl = publicUrl;
    this.metrics = metrics;
    this.region = region;
  }

  /** {@code /steering/hls/<region>} */
  public void hls(Exchange x) {
    answer(x, Format.HLS);
  }

  /** {@code /steering/dash/<region>} */
  public void dash(Exchange x) {
    answer(x, Format.DASH);
  }

  private void answer(Exchange x, Format format) {
    String region = x.path().substring(format.prefix.length());
    if (region.isEmpty() || region.indexOf('/') >= 0) {
      x.error(404, "steering URIs are " + format.prefix + "<region>");
      return;
    }
    // Any string used to be a region: a steering URI for a region nobody steers is a typo or a probe.
    if (!region.equals(this.region) && book.latest(region).isEmpty()) {
      x.error(404, "no steering for that region: this server steers " + this.region + " and the regions qoe-stream decided for");
      return;
    }
    Fields query = x.query();
    List<String> reported = SteeringManifest.reportedPathways(query.getValue(format.pathwayParameter));
    try {
      for (long bitsPerSecond : SteeringManifest.reportedThroughputs(query.getValue(format.throughputParameter))) {
        if (bitsPerSecond >= 0) {
          metrics.reportedThroughput(bitsPerSecond);
        }
      }
    } catch (IllegalArgumentException e) {
      x.error(400, format.throughputParameter + ": " + e.getMessage());
      return;
    }
    SteeringManifest manifest = SteeringManifest.of(book.latest(region).orElse(null), offered.get(), reported,
        publicUrl + format.path(region));
    x.header("Cache-Control", "no-store");
    x.json(200, manifest);
  }
}
