package io.caudal.transcode.core.text;

import io.caudal.transcode.core.lang.Languages;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class SubtitleParsersTest {

  private static List<Cue> parse(String name, String content) {
    return SubtitleFiles.parse(name, content.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void readsWebVttCuesWithIdsSettingsAndStylesKept() {
    List<Cue> cues = parse("a.vtt", """
        WEBVTT - a title
        Kind: captions

        NOTE a comment
        that spans lines

        STYLE
        ::cue { color: yellow }

        intro
        00:01.000 --> 00:02.500 line:0 align:start
        <i>Hello</i> &amp; welcome
        second line

        01:00:00.000 --> 01:00:01.001
        late
        """);
    assertThat(cues).containsExactly(
        new Cue(1000, 2500, "<i>Hello</i> &amp; welcome\nsecond line", "line:0 align:start"),
        new Cue(3_600_000, 3_600_001 + 1000, "late", ""));
  }

  @Test
  void readsSrtWithCommasItalicsAndFontTagsDropped() {
    List<Cue> cues = parse("b.srt", "\uFEFF1\r\n00:00:01,000 --> 00:00:02,040\r\n<i>Styled</i> <font color=\"red\">red</font>\r\n"
        + "{\\an8}a < b\r\n\r\n2\r\n00:00:03,5 --> 00:00:04,000\r\nx\r\n");
    assertThat(cues).containsExactly(
        new Cue(1000, 2040, "<i>Styled</i> red\na &lt; b"),
        new Cue(3500, 4000, "x"));
  }

  @Test
  void readsTtmlClockOffsetFrameAndTickTimesNestedSpansAndLineBreaks() {
    List<Cue> cues = parse("c.ttml", """
        <?xml version="1.0" encoding="UTF-8"?>
        <tt xmlns="http://www.w3.org/ns/ttml" xmlns:ttp="http://www.w3.org/ns/ttml#parameter"
            xmlns:tts="http://www.w3.org/ns/ttml#styling" xmlns:ttm="http://www.w3.org/ns/ttml#metadata"
            ttp:frameRate="24" ttp:frameRateMultiplier="1000 1001" ttp:tickRate="10000000" xml:lang="en">
          <head>
            <styling><style xml:id="it" tts:fontStyle="italic"/></styling>
          </head>
          <body>
            <div>
              <p begin="00:00:01.500" end="00:00:03.000">Clock <span style="it">styled <span tts:fontWeight="bold">bold</span></span><br/>
                 next   line</p>
              <p begin="00:00:04:12" dur="36f">frames<ttm:desc>not shown</ttm:desc></p>
              <p begin="50000000t" end="6s">ticks &amp; seconds</p>
            </div>
            <div begin="10s">
              <p begin="500ms" end="1m" style="it">relative to the div</p>
            </div>
          </body>
        </tt>
        """);
    double fps = 24000 / 1001.0;
    long framesBegin = Math.round((4 + 12 / fps) * 1000);
    assertThat(cues).containsExactly(
        new Cue(1500, 3000, "Clock <i>styled <b>bold</b></i>\nnext line"),
        new Cue(framesBegin, framesBegin + Math.round(36 / fps * 1000), "frames"),
        new Cue(5000, 6000, "ticks &amp; seconds"),
        new Cue(10_500, 70_000, "<i>relative to the div</i>"));
  }

  @Test
  void ttmlFramesAreWithinAMillisecondOfTheExactTime() {
    // 00:00:59:23 at 29.97: 59 s + 23 × 1001/30000 s = 59.767433 s.
    assertThat(TtmlParser.millis("00:00:59:23", 30000 / 1001.0, 1)).isEqualTo(59_767L);
    assertThat(TtmlParser.millis("1799f", 30000 / 1001.0, 1)).isEqualTo(60_027L);
    assertThat(TtmlParser.millis("90000t", 30, 90_000)).isEqualTo(1000L);
    assertThat(TtmlParser.millis("1.25h", 30, 1)).isEqualTo(4_500_000L);
    assertThat(TtmlParser.millis("1 s", 30, 1)).isNull();
  }

  @Test
  void ttmlRefusesDoctypesSoNoEntityIsEverExpanded() {
    String xxe = """
        <?xml version="1.0"?>
        <!DOCTYPE tt [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
        <tt xmlns="http://www.w3.org/ns/ttml"><body><p begin="0s" end="1s">&secret;</p></body></tt>
        """;
    assertThatThrownBy(() -> parse("evil.ttml", xxe))
        .isInstanceOf(SubtitleFormatException.class)
        .hasMessageStartingWith("evil.ttml: line 2: not well-formed XML")
        .hasMessageContaining("DOCTYPE");
  }

  @Test
  void malformedWebVttNamesTheLine() {
    assertThatThrownBy(() -> parse("x.vtt", "WEBVT\n\n00:01.000 --> 00:02.000\nx\n"))
        .hasMessage("x.vtt: line 1: not WebVTT: the first line must be WEBVTT");
    assertThatThrownBy(() -> parse("x.vtt", "WEBVTT\n\n00:01.000 --> 00:02.000\nok\n\n00:03.0 --> 00:04.000\nx\n"))
        .hasMessage("x.vtt: line 6: bad timestamp '00:03.0' (expected [hh:]mm:ss.ttt)");
    assertThatThrownBy(() -> parse("x.vtt", "WEBVTT\n\n00:05.000 --> 00:04.000\nx\n"))
        .hasMessage("x.vtt: line 3: cue ends (00:04.000) before it starts (00:05.000)");
    assertThatThrownBy(() -> parse("x.vtt", "WEBVTT\n\n00:01.000 --> 00:02.000\nx\n00:02.000 --> 00:03.000\ny\n"))
        .hasMessage("x.vtt: line 5: '-->' inside cue text (a blank line missing before this cue?)");
    assertThatThrownBy(() -> parse("x.vtt", "WEBVTT\n00:01.000 --> 00:02.000\nx\n"))
        .hasMessage("x.vtt: line 2: a blank line must end the header before the first cue");
    assertThatThrownBy(() -> parse("x.vtt", "WEBVTT\n\njust text\nmore text\n"))
        .hasMessage("x.vtt: line 4: expected a cue timing line (00:00:01.000 --> 00:00:02.000)");
  }

  @Test
  void malformedSrtNamesTheLine() {
    assertThatThrownBy(() -> parse("y.srt", "1\n00:00:01,000 --> 00:00:02,000\nok\n\n2\n00:00:03,000 -> 00:00:04,000\nx\n"))
        .hasMessage("y.srt: line 6: expected a timing line (00:00:01,000 --> 00:00:02,000) after cue number 2");
    assertThatThrownBy(() -> parse("y.srt", "1\n00:00:01:000 --> 00:00:02,000\nx\n"))
        .hasMessage("y.srt: line 2: bad timing line '00:00:01:000 --> 00:00:02,000'"
            + " (expected 00:00:01,000 --> 00:00:02,000)");
    assertThatThrownBy(() -> parse("y.srt", "hello\n"))
        .hasMessage("y.srt: line 1: expected a cue number or a timing line, got 'hello'");
    assertThatThrownBy(() -> SubtitleFiles.parse("z.srt", new byte[] {'1', '\n', 'a', '\n', (byte) 0xC3, 0x28}))
        .hasMessage("z.srt: line 3: not UTF-8 text (convert the file to UTF-8)");
  }

  @Test
  void malformedTtmlNamesTheLine() {
    String header = "<tt xmlns=\"http://www.w3.org/ns/ttml\">\n<body>\n";
    assertThatThrownBy(() -> parse("t.ttml", header + "<p begin=\"0s\" end=\"1s\">a</p>\n<p begin=\"2x\" end=\"3s\">b</p>\n"
        + "</body></tt>\n"))
        .hasMessageStartingWith("t.ttml: line 4: bad time expression '2x' in begin");
    assertThatThrownBy(() -> parse("t.ttml", header + "<p begin=\"0s\">no end</p>\n</body></tt>\n"))
        .hasMessage("t.ttml: line 3: cue has no end: give the <p> (or an element around it) an end or a dur");
    assertThatThrownBy(() -> parse("t.ttml", header + "<p begin=\"0s\" end=\"1s\">a</b></p>\n</body></tt>\n"))
        .hasMessageStartingWith("t.ttml: line 3: not well-formed XML");
    assertThatThrownBy(() -> parse("t.xml", "<html><body/></html>"))
        .hasMessage("t.xml: line 1: not TTML: the root element is <html>, not <tt>");
    assertThatThrownBy(() -> parse("t.ttml", header + "<p begin=\"0s\" end=\"4s\">a <span begin=\"1s\">b</span></p>\n"
        + "</body></tt>\n"))
        .hasMessageStartingWith("t.ttml: line 3: timing on a <span> inside a <p> is not supported");
  }

  @Test
  void formatIsChosenByExtensionElseByContent() {
    byte[] vtt = "WEBVTT\n".getBytes(StandardCharsets.UTF_8);
    assertThat(SubtitleFiles.formatOf("subs.txt", vtt)).isEqualTo(SubtitleFiles.Format.WEBVTT);
    assertThat(SubtitleFiles.formatOf("subs", "1\n00:00:01,000 --> 00:00:02,000\n".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(SubtitleFiles.Format.SRT);
    assertThat(SubtitleFiles.formatOf("subs.dfxp", vtt)).isEqualTo(SubtitleFiles.Format.TTML);
    assertThatThrownBy(() -> SubtitleFiles.formatOf("subs.txt", "hello".getBytes(StandardCharsets.UTF_8)))
        .hasMessage("subs.txt: line 1: not WebVTT, SRT or TTML (name it .vtt, .srt or .ttml)");
  }

  @Test
  void fittingDropsEmptyCuesAndThoseAfterTheEndAndClipsTheOneAcrossIt() {
    Cues.Fitted fitted = Cues.fit(List.of(
        new Cue(5000, 6000, "late"), new Cue(1000, 2000, "  "), new Cue(0, 1500, "first"),
        new Cue(1000, 3000, "overlaps"), new Cue(3500, 4500, "across the end"), new Cue(2000, 2000, "no time"),
        new Cue(4000, 5000, "at the end")), 4000);
    assertThat(fitted.cues()).containsExactly(new Cue(0, 1500, "first"), new Cue(1000, 3000, "overlaps"),
        new Cue(3500, 4000, "across the end"));
    assertThat(fitted.describe()).isEqualTo("3 cues, 2 empty dropped, 1 clipped at the last frame,"
        + " 2 after the last frame dropped");
  }

  @Test
  void assEventsFromFfmpegDecodersBecomeCueText() {
    assertThat(AssText.toCueText("0,0,Default,,0,0,0,,{\\i1}Hi{\\i0} a<b\\Nnext, with comma"))
        .isEqualTo("<i>Hi</i> a&lt;b\nnext, with comma");
    assertThat(AssText.toCueText("3,0,Default,,0,0,0,,{\\an8\\b1}top{\\b0}")).isEqualTo("<b>top</b>");
  }

  @Test
  void languagesFromContainersBecomeBcp47() {
    assertThat(Languages.normalise("eng")).isEqualTo("en");
    assertThat(Languages.normalise("fre")).isEqualTo("fr");
    assertThat(Languages.normalise("fra")).isEqualTo("fr");
    assertThat(Languages.normalise(null)).isEqualTo("und");
    assertThat(Languages.normalise("pt-BR")).isEqualTo("pt-BR");
  }
}
