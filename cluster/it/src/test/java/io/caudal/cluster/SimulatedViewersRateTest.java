package io.caudal.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.caudal.schemas.TableReader;
import io.caudal.schemas.Tables;
import io.caudal.schemas.UserRating;
import io.caudal.testing.IntegrationTest;
import io.caudal.testing.SampleTitles;
import io.caudal.testing.kafka.KafkaBroker;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The simulator's viewers rate through edge as a viewer does, both shaded jars as they ship: edge
 * in viewer demo mode, the simulator signing each viewer in as its demo viewer, renting for a TVOD
 * plan, asking for the play grant and rating with its token. Every rating it says it sent is a row
 * of the ratings table, of a demo viewer and a catalog title.
 */
@IntegrationTest
class SimulatedViewersRateTest {
  @RegisterExtension
  static final KafkaBroker KAFKA = KafkaBroker.withCaudalTopics();

  private static final Path HOME = Path.of(System.getProperty("caudal.home", "../..")).toAbsolutePath().normalize();
  private static final Pattern SENT = Pattern.compile("sent (\\d+) ratings to \\S+ \\(none refused\\)");
  private static final List<String> TITLES = List.of("drama-1", "drama-2", "comedy-1", "comedy-2");

  @Test
  void everyRatingTheSimulatedViewersSendIsARowOfTheRatingsTable(@TempDir Path work) throws Exception {
    Path root = work.resolve("root");
    List<String> titleSpecs = new ArrayList<>();
    for (String title : TITLES) {
      String category = title.substring(0, title.indexOf('-'));
      SampleTitles.writeTitle(root, title);
      SampleTitles.writeCatalog(root, SampleTitles.entry(title, "Name of " + title, category));
      titleSpecs.add(title + ":" + category + ":20");
    }
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    String edgeUrl = "http://127.0.0.1:" + port;
    Process edge = java(work.resolve("edge.log"), "-cp",
        HOME.resolve("edge/target/caudal-edge.jar") + ":" + Files.readString(
            HOME.resolve("edge/target/local-classpath.txt")).strip(), "io.caudal.edge.EdgeMain",
        "--root", root.toString(), "--port", Integer.toString(port), "--server-id", "edge-1", "--region", "eu-west",
        "--bootstrap-servers", KAFKA.bootstrapServers(), "--viewer-demo");
    try {
      awaitUp(edgeUrl + "/v1/viewer/session", edge, work.resolve("edge.log"));
      // 16 viewers (four of them on TVOD) watching 20-second titles for 10 simulated minutes at 20x.
      Path simLog = work.resolve("sim.log");
      Process sim = java(simLog, "-jar", HOME.resolve("sim/target/caudal-sim.jar").toString(), "--players", "16",
          "--servers", "1", "--regions", "1", "--duration", "600s", "--speed", "20", "--titles",
          String.join(",", titleSpecs), "--bootstrap-servers", KAFKA.bootstrapServers(), "--rate-at", edgeUrl);
      assertThat(sim.waitFor(3, TimeUnit.MINUTES)).as("the simulator finished").isTrue();
      String output = Files.readString(simLog);
      assertThat(sim.exitValue()).as("the simulator's exit code; output:%n%s", output).isZero();
      Matcher sent = SENT.matcher(output);
      assertThat(sent.find()).as("the simulator's summary, nothing refused:%n%s", output).isTrue();
      long ratingsSent = Long.parseLong(sent.group(1));
      assertThat(ratingsSent).isGreaterThan(10);

      List<UserRating> rows = ratings(root);
      assertThat(rows).hasSize((int) ratingsSent).allSatisfy(r -> {
        assertThat(r.getUserId()).matches("u000(0[1-9]|1[0-6])");
        assertThat(TITLES).contains(r.getTitleId());
        assertThat(r.getStars()).isBetween(1, 5);
      });
      Set<String> raters = rows.stream().map(UserRating::getUserId).collect(Collectors.toSet());
      // Every fourth demo viewer rents: the ratings of some of them show renting worked too.
      assertThat(raters).hasSizeGreaterThan(8).containsAnyOf("u00004", "u00008", "u00012", "u00016");
    } finally {
      edge.destroy();
      edge.waitFor(30, TimeUnit.SECONDS);
    }
  }

  private static List<UserRating> ratings(Path root) throws IOException {
    TableReader<UserRating> reader = TableReader.of(Tables.RATINGS, root.toUri().toString(), new Configuration());
    List<UserRating> rows = new ArrayList<>();
    for (FileStatus file : reader.dataFiles()) {
      rows.addAll(reader.read(file));
    }
    return rows;
  }

  private static Process java(Path log, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  private static void awaitUp(String url, Process process, Path log) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (System.nanoTime() < deadline) {
      assertThat(process.isAlive()).as("edge is running; its log:%n%s", Files.readString(log)).isTrue();
      try {
        if (http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding())
            .statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(250);
    }
    throw new AssertionError("edge did not answer " + url + " within 90 s; its log:\n" + Files.readString(log));
  }
}
