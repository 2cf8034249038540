package io.caudal.edge.home;

/** A title's ratings: how many viewers rated it and the mean of their stars (null when none did). */
public record RatingSummary(long count, Double average) {

  public static final RatingSummary NONE = new RatingSummary(0, null);
}
