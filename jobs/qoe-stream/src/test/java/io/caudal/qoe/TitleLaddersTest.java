package io.caudal.qoe;

import static org.assertj.core.api.Assertions.assertThat;

import io.caudal.qoe.core.TitleLadder;
import io.caudal.testing.SampleTitles;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TitleLaddersTest {
  @TempDir Path root;

  @Test
  void readsEachTitlesDurationAndPeakRatesFromTheCatalog() throws Exception {
    SampleTitles.writeCatalog(root, SampleTitles.entry("t-1", "One", "drama"));
    SampleTitles.writeCatalog(root, SampleTitles.entry("t-2", "Two", "comedy"));

    var ladders = TitleLadders.fromCatalog(root.toUri().toString());

    assertThat(ladders).containsOnlyKeys("t-1", "t-2");
    TitleLadder one = ladders.get("t-1");
    assertThat(one.durationMs()).isEqualTo(8000);
    assertThat(one.ladderKbps()).as("the one rung's peak, what HLS advertises").containsExactly(900);
  }

  @Test
  void knowsNoTitlesBeforeTranscodePublishedAny() throws Exception {
    assertThat(TitleLadders.fromCatalog(root.toUri().toString())).isEmpty();
  }
}
