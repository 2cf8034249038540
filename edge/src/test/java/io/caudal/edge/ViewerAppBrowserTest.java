package io.caudal.edge;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.caudal.edge.viewer.ViewerAccounts;
import io.caudal.schemas.TableReader;
import io.caudal.schemas.Tables;
import io.caudal.schemas.UserRating;
import io.caudal.testing.IntegrationTest;
import io.caudal.testing.SampleTitles;
import io.caudal.testing.kafka.KafkaBroker;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The viewer app in Debian's headless chromium (driven by {@code web/test/app.mjs} with
 * playwright-core) against a real edge with a title packaged by transcode: sign in, rows on the home
 * page, search by part of a name as you type, browse a category, the title page, rate it, play it;
 * then a demo renter is refused, rents the title and is let through. Screenshots of the sign-in,
 * home (desktop and phone widths), search and title pages go to
 * {@code edge/target/screenshots/}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@IntegrationTest
class ViewerAppBrowserTest {

  static final byte[] SECRET = "viewer-browser-secret-0123456789".getBytes(StandardCharsets.UTF_8);
  static final String PASSWORD = "a viewer's password";
  static final String OTHER_DRAMA = "t-river-song";
  static final String OTHER_DOCUMENTARY = "t-mountains";
  static final JsonMapper JSON = JsonMapper.builder().build();

  @TempDir static Path root;
  @RegisterExtension static final KafkaBroker KAFKA = KafkaBroker.withCaudalTopics();
  EdgeServer edge;
  String titleId;

  @BeforeAll
  void start() throws Exception {
    TranscodeJar.requireBrowserTestTools();
    titleId = TranscodeJar.publish(root, "The Long River", "documentary", 12);
    // Two more catalog rows (with stand-in media) so that search and browse have something to leave out.
    SampleTitles.writeTitle(root, OTHER_DRAMA);
    SampleTitles.writeCatalog(root, SampleTitles.entry(OTHER_DRAMA, "River Song", "drama"));
    SampleTitles.writeTitle(root, OTHER_DOCUMENTARY);
    SampleTitles.writeCatalog(root, SampleTitles.entry(OTHER_DOCUMENTARY, "Mountains at Dawn", "documentary"));
    Path users = root.resolve("viewers.txt");
    Files.writeString(users, "ana:svod:" + ViewerAccounts.hash(PASSWORD.toCharArray(), 4) + "\n");
    edge = EdgeServer.start(EdgeOptions.defaults(root.toUri().toString(), KAFKA.bootstrapServers(), SECRET)
        .withViewers(EdgeOptions.Viewers.none().withUsersFile(users).withDemo(4)));
  }

  @AfterAll
  void stop() throws Exception {
    if (edge != null) {
      edge.close();
    }
  }

  @Test
  void aViewerSignsInFindsATitleRatesItAndPlaysIt() throws Exception {
    Process node = new ProcessBuilder("node", TranscodeJar.WEB.resolve("test/app.mjs").toString(),
        edge.url() + "/app/", TranscodeJar.SCREENSHOTS.toString(), "ana", PASSWORD, "long riv", "drama", titleId,
        "u00004", "180")
        .directory(TranscodeJar.WEB.toFile())
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
    String last = null;
    try (BufferedReader out = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        last = line;
      }
    }
    assertThat(node.waitFor(30, TimeUnit.SECONDS)).as("app script ends").isTrue();
    assertThat(last).as("app script result").isNotNull();
    System.out.println("viewer app: " + last);
    JsonNode result = JSON.readTree(last);

    assertThat(result.get("pageErrors")).as("page errors").isEmpty();
    assertThat(result.get("consoleErrors")).as("console errors").isEmpty();
    assertThat(result.get("leakedText")).as("pages showing null, undefined or NaN").isEmpty();
    assertThat(strings(result.get("steps"))).containsExactly("signin", "home", "phone", "search", "category", "title",
        "rate", "rated", "play", "tvod-refused", "tvod-rented", "tvod-play");
    assertThat(strings(result.get("demoViewers"))).containsExactly("u00001", "u00002", "u00003", "u00004");

    assertThat(result.get("who").asText()).isEqualTo("ana · svod");
    List<String> onHome = new ArrayList<>();
    result.get("rows").forEach(row -> onHome.addAll(strings(row.get("titles"))));
    assertThat(onHome).as("titles in the home page's rows").contains(titleId);
    if (result.get("homeSource").asText().equals("catalog")) {
      // No personal rows served: the catalog as one row, with a note that says so.
      assertThat(result.get("homeNote").asText()).contains("not available yet");
      assertThat(onHome).containsExactlyInAnyOrder(titleId, OTHER_DRAMA, OTHER_DOCUMENTARY);
    }
    assertThat(result.get("phoneOverflowPx").asInt()).as("page wider than a phone's screen").isLessThanOrEqualTo(0);

    assertThat(strings(result.get("searchResults"))).containsExactly("The Long River");
    assertThat(strings(result.get("categoryResults"))).hasSize(1).allMatch(meta -> meta.startsWith("drama"));
    assertThat(result.get("categoryCurrent").asText()).isEqualTo("page");

    assertThat(result.get("titleName").asText()).isEqualTo("The Long River");
    assertThat(strings(result.get("similar"))).as("similar titles").contains(OTHER_DOCUMENTARY).doesNotContain(titleId);

    assertThat(result.get("lastRating").get("status").asInt()).as("rating accepted").isEqualTo(202);
    assertThat(result.get("rateMessage").asText()).contains("your 4 stars are in");
    List<UserRating> stored = TableReader.of(Tables.RATINGS, root.toString(), new Configuration()).readAll();
    assertThat(stored).anySatisfy(r -> {
      assertThat(r.getUserId()).isEqualTo("ana");
      assertThat(r.getTitleId()).isEqualTo(titleId);
      assertThat(r.getStars()).isEqualTo(4);
    });
    if (result.get("ratingCountAfter").asLong() > result.get("ratingCountBefore").asLong()) {
      // Averages are served: the page shows the new one.
      assertThat(result.get("ratingAfter").asText()).isNotEqualTo(result.get("ratingBefore").asText()).contains("★");
    } else {
      System.out.println("viewer app: rating averages are not served by this edge yet; the rating was accepted (202)");
    }

    assertThat(result.get("playerUrl").asText()).isEqualTo("/play/" + titleId);
    assertThat(result.get("playerErrors")).as("player errors").isEmpty();
    assertThat(result.get("currentTime").asDouble()).as("playhead").isGreaterThan(2);
    // A demo renter: refused with the reason until the title is rented, then told when the rental ends.
    assertThat(result.get("tvodWho").asText()).isEqualTo("u00004 · tvod");
    assertThat(result.get("tvodRefusal").asText()).contains("is not rented; rent it first");
    assertThat(strings(result.get("refused"))).as("refused requests").hasSize(1);
    assertThat(result.get("rentalText").asText()).startsWith("Rented until ");
    assertThat(result.get("tvodPlayerUrl").asText()).isEqualTo("/play/" + titleId);

    for (String screenshot : List.of("signin", "home", "home-phone", "search", "title", "title-rental")) {
      assertThat(Files.size(TranscodeJar.SCREENSHOTS.resolve(screenshot + ".png"))).as(screenshot).isPositive();
    }
  }

  private static List<String> strings(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(v -> values.add(v.asText()));
    return values;
  }
}
