package io.caudal.transcode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.caudal.schemas.cli.UsageException;
import io.caudal.transcode.core.text.TextKind;
import io.caudal.transcode.sample.SampleOptions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code --subtitles} of the job and {@code --subtitle-stream} of SampleMaker. */
class SubtitleOptionsTest {
  private static TranscodeOptions parse(String... extra) {
    List<String> args = new ArrayList<>(List.of("--input", "in.mp4", "--name", "N", "--category", "C"));
    args.addAll(List.of(extra));
    return TranscodeOptions.parse(args.toArray(String[]::new)).orElseThrow();
  }

  @Test
  void readsEverySubtitleFileWithItsLanguageAndKind() {
    TranscodeOptions o = parse("--subtitles", "en=hdfs://nn:8020/in/movie.en.vtt", "--subtitles", "en,sdh=movie.sdh.srt",
        "--subtitles", "pt-BR,forced=/in/f=x.ttml");

    assertThat(o.subtitles()).containsExactly(
        new TranscodeOptions.SubtitleFile("en", TextKind.SUBTITLE, "hdfs://nn:8020/in/movie.en.vtt"),
        new TranscodeOptions.SubtitleFile("en", TextKind.CAPTION, "movie.sdh.srt"),
        new TranscodeOptions.SubtitleFile("pt-BR", TextKind.FORCED, "/in/f=x.ttml"));
    assertThat(o.subtitles()).extracting(TranscodeOptions.SubtitleFile::trackId)
        .containsExactly("text-en", "text-en-sdh", "text-pt-BR-forced");
    assertThat(parse().subtitles()).isEmpty();
    assertThat(parse("--subtitles", "eng=a.vtt", "--subtitles", "FR,sdh=b.srt").subtitles())
        .extracting(TranscodeOptions.SubtitleFile::trackId).containsExactly("text-en", "text-fr-sdh");
  }

  @Test
  void namesWhatIsWrongWithASubtitlesOption() {
    assertThatThrownBy(() -> parse("--subtitles", "movie.vtt"))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("--subtitles must be LANG[,forced|,sdh]=FILE").hasMessageContaining("'movie.vtt'");
    assertThatThrownBy(() -> parse("--subtitles", "en,cc=movie.vtt"))
        .hasMessage("--subtitles flag must be forced or sdh, got 'cc' in 'en,cc=movie.vtt'");
    assertThatThrownBy(() -> parse("--subtitles", "en=a.vtt", "--subtitles", "en=b.srt"))
        .hasMessage("--subtitles names en twice: one file per language and kind");
  }

  @Test
  void sampleMakerAddsASubtitleStreamInTheLanguageAsked() {
    assertThat(SampleOptions.parse("out.mp4", "--subtitle-stream", "en").orElseThrow().subtitleStream()).isEqualTo("en");
    assertThat(SampleOptions.parse("out.mp4").orElseThrow().subtitleStream()).isNull();
    assertThatThrownBy(() -> SampleOptions.parse("out.mp4", "--subtitle-stream", "English"))
        .hasMessage("--subtitle-stream must be a language like en or fra, got 'English'");
  }
}
