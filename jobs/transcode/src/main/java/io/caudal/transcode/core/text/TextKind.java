package io.caudal.transcode.core.text;

import java.util.Locale;

/** What a text rendition is for. */
public enum TextKind {
  /** The dialogue, translated or transcribed. */
  SUBTITLE("subtitle", "", "subtitle"),
  /** Subtitles for the deaf and hard of hearing: dialogue plus speakers, music and sounds. */
  CAPTION("caption", "-sdh", "caption"),
  /** Only the parts a viewer of the language would not understand (signs, foreign dialogue). */
  FORCED("forced", "-forced", "forced-subtitle");

  private final String catalogName;
  private final String suffix;
  private final String dashRole;

  TextKind(String catalogName, String suffix, String dashRole) {
    this.catalogName = catalogName;
    this.suffix = suffix;
    this.dashRole = dashRole;
  }

  /** As the catalog row's TextTrack.kind says it. */
  public String catalogName() {
    return catalogName;
  }

  /** Appended to the language in the track id and folder: "", "-sdh" or "-forced". */
  public String suffix() {
    return suffix;
  }

  /** The DASH Role value (urn:mpeg:dash:role:2011). */
  public String dashRole() {
    return dashRole;
  }

  /** The kind a {@code --subtitles} flag names: none, "forced" or "sdh". */
  public static TextKind ofFlag(String flag) {
    return switch (flag == null ? "" : flag.toLowerCase(Locale.ROOT)) {
      case "" -> SUBTITLE;
      case "forced" -> FORCED;
      case "sdh" -> CAPTION;
      default -> throw new IllegalArgumentException("must be forced or sdh, got '" + flag + "'");
    };
  }
}
