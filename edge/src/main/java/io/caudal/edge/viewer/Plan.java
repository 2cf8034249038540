package io.caudal.edge.viewer;

import java.util.Locale;

/** What a viewer's account pays for. */
public enum Plan {
  /** A subscription: every title of the catalog. */
  SVOD,
  /** Rentals: a title plays for a fixed period after the viewer rents it. */
  TVOD;

  /** {@code svod} or {@code tvod}, as the viewers file spells it. */
  public String spelling() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The plan a viewers file or an option names.
   *
   * @throws IllegalArgumentException naming the accepted spellings
   */
  public static Plan parse(String spelling) {
    for (Plan plan : values()) {
      if (plan.spelling().equals(spelling)) {
        return plan;
      }
    }
    throw new IllegalArgumentException("plan '" + spelling + "': use svod or tvod");
  }
}
