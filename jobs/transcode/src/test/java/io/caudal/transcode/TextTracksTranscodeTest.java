package io.caudal.transcode;

import static io.caudal.transcode.TranscodeRuns.filesUnder;
import static io.caudal.transcode.TranscodeRuns.transcode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.caudal.schemas.CatalogEntry;
import io.caudal.schemas.TableReader;
import io.caudal.schemas.Tables;
import io.caudal.schemas.TextTrack;
import io.caudal.testing.IntegrationTest;
import io.caudal.testing.spark.LocalSpark;
import io.caudal.transcode.core.pkg.DashSchema;
import io.caudal.transcode.core.text.Cue;
import io.caudal.transcode.core.text.SubtitleFiles;
import io.caudal.transcode.core.text.WebVttParser;
import io.caudal.transcode.sample.SampleMaker;
import io.caudal.transcode.spark.Transcoder;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A source with a mov_text stream and sidecar WebVTT, SRT and TTML files with awkward cues, through
 * the whole job: 6 s at 30 fps in 2 s segments, two segments per chunk, so 4.0 s is both a segment
 * and a chunk boundary and the last frame ends at 6.0 s.
 */
@IntegrationTest
class TextTracksTranscodeTest {
  @RegisterExtension
  static final LocalSpark SPARK = new LocalSpark("caudal-transcode-text-test");

  private static final double SECONDS = 6;
  private static final long FRAME_MS = 1000 / 30 + 1;

  private static final String FRENCH_VTT = """
      WEBVTT

      00:00:00.500 --> 00:00:02.000
      <i>Bonjour</i> à tous

      00:00:01.500 --> 00:00:03.000
      Une réplique qui chevauche

      across
      00:00:03.500 --> 00:00:04.500 line:0
      À cheval sur deux segments

      00:00:04.800 --> 00:00:05.000

      00:00:05.500 --> 00:00:06.500
      Coupée à la fin

      00:00:06.500 --> 00:00:07.000
      Après la dernière image
      """;

  private static final String GERMAN_SRT = """
      1
      00:00:01,000 --> 00:00:02,500
      [Musik spielt]

      2
      00:00:02,200 --> 00:00:04,100
      <b>Hallo</b> <font color="#ffff00">zusammen</font>
      """;

  private static final String SPANISH_TTML = """
      <?xml version="1.0" encoding="UTF-8"?>
      <tt xmlns="http://www.w3.org/ns/ttml" xmlns:ttp="http://www.w3.org/ns/ttml#parameter"
          xmlns:tts="http://www.w3.org/ns/ttml#styling" ttp:frameRate="30" ttp:tickRate="10000000" xml:lang="es">
        <body>
          <div>
            <p begin="00:00:01:15" end="00:00:02:00">Cartel: <span tts:fontStyle="italic">SALIDA</span></p>
            <p begin="35000000t" dur="15f">Letrero<br/>en dos líneas</p>
          </div>
        </body>
      </tt>
      """;

  @TempDir
  Path root;
  @TempDir
  Path sidecars;

  @Test
  void everyTextTrackBecomesAWebVttRenditionOnTheVideosSegments() throws Exception {
    File source = TestMedia.withSubtitleStream("text-tracks", SampleMaker.Spec.of(SECONDS, 320, 180), "en");
    Path french = write("fr.vtt", FRENCH_VTT);
    Path german = write("de.srt", GERMAN_SRT);
    Path spanish = write("es.ttml", SPANISH_TTML);

    Transcoder.Result result = transcode(SPARK, source, root.toString(), "--max-rungs", "1",
        "--subtitles", "fr=" + french, "--subtitles", "de,sdh=" + german, "--subtitles", "es,forced=" + spanish);

    Path title = root.resolve("vod").resolve(result.titleId());
    for (String track : List.of("en", "fr", "de-sdh", "es-forced")) {
      assertThat(filesUnder(title.resolve("text/" + track))).containsExactly(
          "full.vtt", "playlist.m3u8", "seg-00001.vtt", "seg-00002.vtt", "seg-00003.vtt");
      for (int n = 1; n <= 3; n++) {
        assertThat(read(title, "text/%s/seg-%05d.vtt".formatted(track, n)))
            .startsWith("WEBVTT\nX-TIMESTAMP-MAP=MPEGTS:0,LOCAL:00:00:00.000\n");
      }
      assertThat(read(title, "text/" + track + "/playlist.m3u8"))
          .contains("#EXTINF:2.000000,\nseg-00001.vtt\n", "seg-00003.vtt\n#EXT-X-ENDLIST");
    }

    // The source's own stream, at the times it was muxed with.
    assertWithinAFrame(fullTrack(title, "en"), SampleMaker.subtitleCues(SECONDS));

    // Overlapping and styled cues stay; the empty one and the one after the last frame go; the one
    // across the end is cut at 6.0 s.
    List<Cue> sent = SubtitleFiles.parse("fr.vtt", FRENCH_VTT.getBytes(StandardCharsets.UTF_8));
    List<Cue> frenchOut = fullTrack(title, "fr");
    assertWithinAFrame(frenchOut, List.of(sent.get(0), sent.get(1), sent.get(2),
        new Cue(5500, 6000, "Coupée à la fin")));
    assertThat(frenchOut.get(0).text()).isEqualTo("<i>Bonjour</i> à tous");
    assertThat(frenchOut.get(2).settings()).isEqualTo("line:0");
    // Across the segment and chunk boundary at 4.0 s: in both segments, with the same times.
    String across = "00:00:03.500 --> 00:00:04.500 line:0\nÀ cheval sur deux segments\n";
    assertThat(read(title, "text/fr/seg-00002.vtt")).contains(across).contains("Une réplique qui chevauche");
    assertThat(read(title, "text/fr/seg-00003.vtt")).contains(across, "00:00:05.500 --> 00:00:06.000")
        .doesNotContain("Après la dernière image").doesNotContain("Bonjour");

    assertWithinAFrame(fullTrack(title, "de-sdh"),
        SubtitleFiles.parse("de.srt", GERMAN_SRT.getBytes(StandardCharsets.UTF_8)));
    assertThat(fullTrack(title, "de-sdh").get(1).text()).isEqualTo("<b>Hallo</b> zusammen");
    // TTML frames (1:15 at 30 fps is 1.5 s) and ticks (3.5 s), within a frame.
    assertWithinAFrame(fullTrack(title, "es-forced"), List.of(
        new Cue(1500, 2000, "Cartel: <i>SALIDA</i>"), new Cue(3500, 4000, "Letrero\nen dos líneas")));

    String master = read(title, "master.m3u8");
    assertThat(master).contains(
        "TYPE=SUBTITLES,GROUP-ID=\"subs\",NAME=\"English\",LANGUAGE=\"en\",DEFAULT=NO,AUTOSELECT=YES,FORCED=NO,"
            + "URI=\"text/en/playlist.m3u8\"",
        "NAME=\"German (SDH)\",LANGUAGE=\"de\"", "public.accessibility.describes-music-and-sound",
        "NAME=\"Spanish (forced)\",LANGUAGE=\"es\",DEFAULT=NO,AUTOSELECT=YES,FORCED=YES");
    assertThat(master.lines().filter(l -> l.startsWith("#EXT-X-STREAM-INF")))
        .isNotEmpty().allSatisfy(l -> assertThat(l).contains("SUBTITLES=\"subs\""));
    String mpd = read(title, "manifest.mpd");
    DashSchema.validate(mpd);
    assertThat(mpd).contains("<BaseURL>text/fr/full.vtt</BaseURL>", "value=\"caption\"", "value=\"forced-subtitle\"");
    assertThat(mpd.split("contentType=\"text\"", -1)).hasSize(5);

    CatalogEntry row = TableReader.of(Tables.CATALOG, root.toString(), new Configuration()).readAll().get(0);
    assertThat(row.getTextTracks()).extracting(TextTrack::getTrackId, TextTrack::getKind, TextTrack::getCues,
        TextTrack::getOrigin).containsExactly(
            org.assertj.core.groups.Tuple.tuple("text-en", "subtitle", 3, "stream:2"),
            org.assertj.core.groups.Tuple.tuple("text-fr", "subtitle", 4, "fr.vtt"),
            org.assertj.core.groups.Tuple.tuple("text-de-sdh", "caption", 2, "de.srt"),
            org.assertj.core.groups.Tuple.tuple("text-es-forced", "forced", 2, "es.ttml"));
  }

  @Test
  void aCorrectedSubtitleFileMakesANewTitleAndTheSameOneFindsItsOwn() throws Exception {
    File source = TestMedia.standard();
    Path english = write("en.vtt", "WEBVTT\n\n00:01.000 --> 00:02.000\nHelo\n");
    Transcoder.Result first = transcode(SPARK, source, root.toString(), "--max-rungs", "1",
        "--subtitles", "en=" + english);
    Transcoder.Result clear = transcode(SPARK, source, root.toString(), "--max-rungs", "1");

    Transcoder.Result again = transcode(SPARK, source, root.toString(), "--max-rungs", "1",
        "--subtitles", "en=" + english);
    Files.writeString(english, "WEBVTT\n\n00:01.000 --> 00:02.000\nHello\n");
    Transcoder.Result corrected = transcode(SPARK, source, root.toString(), "--max-rungs", "1",
        "--subtitles", "en=" + english);

    assertThat(again.published()).isFalse();
    assertThat(again.titleId()).isEqualTo(first.titleId());
    assertThat(corrected.published()).isTrue();
    assertThat(List.of(first.titleId(), clear.titleId(), corrected.titleId())).doesNotHaveDuplicates();
    Path fixed = root.resolve("vod").resolve(corrected.titleId());
    assertThat(fullTrack(fixed, "en")).extracting(Cue::text).containsExactly("Hello");
  }

  @Test
  void aMalformedSubtitleFileIsRefusedWithItsLineAndNothingIsPublished() throws Exception {
    Path broken = write("broken.srt", "1\n00:00:01,000 --> 00:00:02,000\nfine\n\n2\n00:00:03,000 -> 00:00:04,000\nx\n");
    Path fine = write("fine.vtt", "WEBVTT\n\n00:01.000 --> 00:02.000\nok\n");

    assertThatThrownBy(() -> transcode(SPARK, TestMedia.standard(), root.toString(),
        "--subtitles", "en=" + fine, "--subtitles", "fr=" + broken))
        .isInstanceOf(TranscodeException.class)
        .hasMessage(broken + ": line 6: expected a timing line (00:00:01,000 --> 00:00:02,000) after cue number 2;"
            + " nothing published");
    assertThat(filesUnder(root)).isEmpty();
  }

  private Path write(String name, String content) throws Exception {
    return Files.writeString(sidecars.resolve(name), content);
  }

  private static String read(Path title, String file) throws Exception {
    return Files.readString(title.resolve(file));
  }

  private static List<Cue> fullTrack(Path title, String track) throws Exception {
    return WebVttParser.parse(track, read(title, "text/" + track + "/full.vtt"));
  }

  /** Same texts in the same order, each time within one frame (33.3 ms at 30 fps) of the expected. */
  private static void assertWithinAFrame(List<Cue> actual, List<Cue> expected) {
    assertThat(actual).extracting(Cue::text).containsExactlyElementsOf(expected.stream().map(Cue::text).toList());
    for (int i = 0; i < actual.size(); i++) {
      assertThat(actual.get(i).startMillis()).as("start of cue %d", i)
          .isCloseTo(expected.get(i).startMillis(), org.assertj.core.data.Offset.offset(FRAME_MS));
      assertThat(actual.get(i).endMillis()).as("end of cue %d", i)
          .isCloseTo(expected.get(i).endMillis(), org.assertj.core.data.Offset.offset(FRAME_MS));
    }
  }
}
