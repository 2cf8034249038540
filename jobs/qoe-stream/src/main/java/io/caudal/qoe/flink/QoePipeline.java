package io.caudal.qoe.flink;

import io.caudal.schemas.PlayerHeartbeat;
import io.caudal.schemas.QoeSession;
import java.time.Duration;
import java.util.Map;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * The parts of the qoe-stream pipeline built so far, as methods that take their input streams,
 * so that the job and its tests wire the same graph: heartbeats → event time → sessions.
 */
public final class QoePipeline {
  /** Default bound on how late an event may arrive behind the newest one. */
  public static final Duration DEFAULT_OUT_OF_ORDERNESS = Duration.ofSeconds(5);
  /** Default inactivity after which a session without an end event is closed. */
  public static final Duration DEFAULT_INACTIVITY = Duration.ofSeconds(60);
  /** A partition with no events for this long stops holding the watermark back. */
  public static final Duration IDLENESS = Duration.ofSeconds(30);

  private QoePipeline() {}

  public static WatermarkStrategy<PlayerHeartbeat> heartbeatWatermarks(Duration outOfOrderness) {
    return WatermarkStrategy.<PlayerHeartbeat>forBoundedOutOfOrderness(outOfOrderness)
        .withTimestampAssigner((event, previous) -> event.getEventTime())
        .withIdleness(IDLENESS);
  }

  /** The heartbeats with resent duplicates (same eventId) removed. */
  public static SingleOutputStreamOperator<PlayerHeartbeat> distinct(DataStream<PlayerHeartbeat> heartbeats) {
    return heartbeats
        .keyBy(PlayerHeartbeat::getEventId)
        .process(new Deduplicator<PlayerHeartbeat>(Deduplicator.DEFAULT_REMEMBER))
        .returns(PlayerHeartbeat.class)
        .name("deduplicate heartbeats");
  }

  /**
   * One {@code qoe_sessions} row per finished session; heartbeats stamped after their session
   * closed come out as the {@link Sessionizer#AFTER_CLOSE} side output.
   */
  public static SingleOutputStreamOperator<QoeSession> sessions(DataStream<PlayerHeartbeat> heartbeats, Duration inactivity,
      Map<String, Long> titleDurationsMs) {
    return heartbeats
        .keyBy(PlayerHeartbeat::getSessionId)
        .process(new Sessionizer(inactivity.toMillis(), titleDurationsMs))
        .name("sessionize");
  }
}
