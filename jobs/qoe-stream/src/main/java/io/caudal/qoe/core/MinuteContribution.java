package io.caudal.qoe.core;

/**
 * One session's share of one minute, with the slices it belongs to.
 *
 * @param minute the minute's start, epoch ms
 */
public record MinuteContribution(long minute, String serverId, String region, String isp, String device,
    String titleId, MinuteAggregate.Contribution contribution) {

  /** The dimensions of {@code qoe_minute}, in the order its rows name them. */
  public static final String[] DIMENSIONS = {"server", "region", "isp", "device", "title"};

  /** The key of this contribution's slice in a dimension; "unknown" when the player did not say. */
  public String keyOf(String dimension) {
    String key = switch (dimension) {
      case "server" -> serverId;
      case "region" -> region;
      case "isp" -> isp;
      case "device" -> device;
      case "title" -> titleId;
      default -> throw new IllegalArgumentException("no dimension '" + dimension + "'");
    };
    return key == null || key.isEmpty() ? "unknown" : key;
  }
}
