package io.caudal.transcode.core.audio;

import io.caudal.transcode.core.media.AudioStream;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A title's {@code audio.json}: the loudness target, and for every rendition the source stream it
 * was made from, how it was normalised and its loudness before (the source stream in the
 * rendition's layout) and after (the packaged rendition decoded back).
 */
public record AudioReport(String titleId, LoudnessTarget target, List<Rendition> renditions) {

  /**
   * @param gainDb the gain the target called for (applied whole when {@code method} is gain)
   */
  public record Rendition(AudioRenditionPlan plan, AudioStream source, String codecs, long bytes,
      LoudnessTarget.Method method, double gainDb, Loudness before, Loudness after) {}

  public String json() {
    StringBuilder j = new StringBuilder("{\n");
    j.append("  \"titleId\": ").append(str(titleId)).append(",\n");
    j.append(String.format(Locale.ROOT,
        "  \"loudness\": {\"normalise\": %s, \"targetLufs\": %s, \"truePeakCeilingDbtp\": %s, "
            + "\"codecHeadroomDb\": %s, \"measure\": \"ebur128 (EBU R128, ITU-R BS.1770-4)\"},%n",
        target.normalise(), num(target.lufs()), num(target.truePeakDbtp()), num(LoudnessTarget.CODEC_HEADROOM_DB)));
    j.append("  \"renditions\": [\n").append(renditions.stream().map(AudioReport::rendition)
        .collect(Collectors.joining(",\n"))).append("\n  ]\n}\n");
    return j.toString();
  }

  private static String rendition(Rendition r) {
    AudioRenditionPlan p = r.plan();
    AudioStream s = r.source();
    return String.format(Locale.ROOT,
        "    {\"trackId\": %s, \"dir\": %s, \"language\": %s, \"name\": %s, \"channels\": %d, \"isDefault\": %s, "
            + "\"codecs\": %s, \"bytes\": %d,%n"
            + "     \"source\": {\"index\": %d, \"languageTag\": %s, \"title\": %s, \"layout\": %s, \"sampleRate\": %d, "
            + "\"seconds\": %s},%n"
            + "     \"method\": %s, \"gainDb\": %s,%n"
            + "     \"before\": {\"integratedLufs\": %s, \"truePeakDbtp\": %s},%n"
            + "     \"after\": {\"integratedLufs\": %s, \"truePeakDbtp\": %s}}",
        str(p.trackId()), str(p.dir()), str(p.language()), str(p.name()), p.channels(), p.isDefault(),
        str(r.codecs()), r.bytes(), s.index(), str(s.language()), str(s.title()), str(s.layout()), s.sampleRate(),
        num(s.durationMicros() / 1e6), str(r.method().toString()),
        num(Math.round(r.gainDb() * 100) / 100.0),
        num(r.before().integratedLufs()), num(r.before().truePeakDbtp()),
        num(r.after().integratedLufs()), num(r.after().truePeakDbtp()));
  }

  private static String num(double v) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%s", v) : "null";
  }

  static String str(String s) {
    if (s == null) {
      return "null";
    }
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }
}
