package io.caudal.recommend.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Small files in the downloaded layouts; real MovieLens data is never checked in. */
class MovieLensTest {
  @TempDir
  Path dir;

  /** MovieLens files are latin-1, so write them that way. */
  private void write(String file, String... lines) throws IOException {
    Files.writeString(dir.resolve(file), String.join("\n", lines) + "\n", StandardCharsets.ISO_8859_1);
  }

  @Test
  void reads100kLayoutAndCountsRefusedLines() throws IOException {
    write("u.item",
        "1|Toy Story (1995)|01-Jan-1995||http://us.imdb.com/M/title-exact?Toy%20Story%20(1995)"
            + "|0|0|0|1|1|1|0|0|0|0|0|0|0|0|0|0|0|0|0",
        "2|Café au lait (1993)|01-Jan-1993||http://us.imdb.com/x|0|0|0|0|0|1|0|0|0|0|0|0|0|0|1|0|0|0|0",
        "3|Too few columns|01-Jan-1995");
    write("u.data",
        "196\t1\t3\t881250949",
        "186\t2\t5\t891717742",
        "22\t1\t7\t878887116",
        "244\t99\t2\t880606923",
        "not a rating",
        "",
        "166\t2\t1\t886397596");

    MovieLens.Dataset data = MovieLens.read(dir);

    assertThat(data.layout()).isEqualTo(MovieLens.Layout.ML_100K);
    assertThat(data.ratings()).containsExactly(
        new Rating("196", "1", 3, 881250949L), new Rating("186", "2", 5, 891717742L),
        new Rating("166", "2", 1, 886397596L));
    assertThat(data.titles()).containsExactly(entry("1", "Toy Story (1995)"), entry("2", "Café au lait (1993)"));
    assertThat(data.genres()).containsEntry("1", List.of("Animation", "Children's", "Comedy"))
        .containsEntry("2", List.of("Comedy", "Romance"));
    assertThat(data.problems().counts()).containsExactly(
        entry(MovieLens.RATING_OUT_OF_RANGE, 1L), entry(MovieLens.UNKNOWN_TITLE, 1L),
        entry(MovieLens.UNPARSABLE_MOVIE, 1L), entry(MovieLens.UNPARSABLE_RATING, 1L));
    assertThat(data.problems().summary())
        .contains("1 rating outside 1-5 (e.g. 'u.data:3: 22\t1\t7\t878887116')")
        .contains("1 unknown title (e.g. 'u.data:4: 244\t99\t2\t880606923')")
        .contains("1 unparsable rating line (e.g. 'u.data:5: not a rating')")
        .contains("1 unparsable movie line (e.g. 'u.item:3: 3|Too few columns|01-Jan-1995')");
  }

  @Test
  void reads1mLayoutAndCountsRefusedLines() throws IOException {
    write("movies.dat",
        "1::Toy Story (1995)::Animation|Children's|Comedy",
        "2::Jumanji (1995)::Adventure|Children's|Fantasy",
        "2::Jumanji again (1995)::Adventure",
        "3::Città aperta (1945)::Drama");
    write("ratings.dat",
        "1::1::5::978300760",
        "1::2::3::978302109",
        "2::3::4::978298413",
        "2::3::0::978298413",
        "2::7::4::978298413",
        "3::1::4");

    MovieLens.Dataset data = MovieLens.read(dir);

    assertThat(data.layout()).isEqualTo(MovieLens.Layout.ML_1M);
    assertThat(data.ratings()).extracting(Rating::userId, Rating::itemId, Rating::value)
        .containsExactly(tuple("1", "1", 5.0), tuple("1", "2", 3.0), tuple("2", "3", 4.0));
    assertThat(data.titles()).containsEntry("2", "Jumanji (1995)").containsEntry("3", "Città aperta (1945)");
    assertThat(data.genres()).containsEntry("2", List.of("Adventure", "Children's", "Fantasy"));
    assertThat(data.problems().count(MovieLens.DUPLICATE_MOVIE)).isEqualTo(1);
    assertThat(data.problems().count(MovieLens.RATING_OUT_OF_RANGE)).isEqualTo(1);
    assertThat(data.problems().count(MovieLens.UNKNOWN_TITLE)).isEqualTo(1);
    assertThat(data.problems().count(MovieLens.UNPARSABLE_RATING)).isEqualTo(1);
    assertThat(data.problems().total()).isEqualTo(4);
    assertThat(data.problems().summary())
        .contains("'ratings.dat:6: 3::1::4'", "'movies.dat:3: 2::Jumanji again (1995)::Adventure'");
  }

  @Test
  void toleratesWindowsLineEndings() throws IOException {
    write("movies.dat", "1::Toy Story (1995)::Animation\r");
    write("ratings.dat", "1::1::5::978300760\r");

    MovieLens.Dataset data = MovieLens.read(dir);

    assertThat(data.ratings()).containsExactly(new Rating("1", "1", 5, 978300760L));
    assertThat(data.problems().total()).isZero();
  }

  @Test
  void folderWithNeitherLayoutIsRefusedNamingTheFilesLookedFor() throws IOException {
    write("u.data", "196\t1\t3\t881250949");

    assertThatThrownBy(() -> MovieLens.read(dir))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("no MovieLens data in " + dir
            + ": looked for u.data + u.item (MovieLens 100k) or ratings.dat + movies.dat (MovieLens 1M)");
  }

  @Test
  void missingFolderIsRefusedAsSuch() {
    Path missing = dir.resolve("ml-100k");

    assertThatThrownBy(() -> MovieLens.read(missing))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("no MovieLens data in " + missing + " (no such folder): looked for u.data + u.item");
  }
}
