package io.caudal.schemas;

import java.util.List;
import java.util.Optional;

/**
 * Every Kafka topic of Caudal. Keys are the session id, except server.health (server id),
 * qoe.steering (region), qoe.alerts (alert id) and events.dlq (the refused record's own key).
 */
public final class Topics {

  /** Player events (CMCD-style heartbeats), keyed by session id. */
  public static final Topic<PlayerHeartbeat> HEARTBEAT =
      new Topic<>("player.heartbeat", "sessionId", PlayerHeartbeat.class, TopicLayout.INPUT);

  /** RTCP-style receiver reports from players, keyed by session id. */
  public static final Topic<PlayerRtcp> RTCP =
      new Topic<>("player.rtcp", "sessionId", PlayerRtcp.class, TopicLayout.INPUT);

  /** Node-monitor reports from media servers, keyed by server id. */
  public static final Topic<ServerHealth> SERVER_HEALTH =
      new Topic<>("server.health", "serverId", ServerHealth.class, TopicLayout.INPUT);

  /** Per-session bitrate caps decided by qoe-stream, keyed by session id. */
  public static final Topic<BitrateDecision> BITRATE =
      new Topic<>("qoe.bitrate", "sessionId", BitrateDecision.class, TopicLayout.OUTPUT);

  /** Per-region pathway priorities decided by qoe-stream, keyed by region. */
  public static final Topic<SteeringDecision> STEERING =
      new Topic<>("qoe.steering", "region", SteeringDecision.class, TopicLayout.OUTPUT);

  /** Alert state changes (open, updated, resolved) decided by qoe-stream, keyed by alert id. */
  public static final Topic<Alert> ALERTS =
      new Topic<>("qoe.alerts", "alertId", Alert.class, TopicLayout.OUTPUT);

  /** Refused input records with the reason, keyed by the refused record's key. */
  public static final Topic<DeadLetter> DEAD_LETTER =
      new Topic<>("events.dlq", "key", DeadLetter.class, TopicLayout.OUTPUT);

  private static final List<Topic<?>> ALL =
      List.of(HEARTBEAT, RTCP, SERVER_HEALTH, BITRATE, STEERING, ALERTS, DEAD_LETTER);

  private Topics() {}

  /** All topics, inputs first. */
  public static List<Topic<?>> all() {
    return ALL;
  }

  /** The topic with this Kafka name, if it is one of Caudal's. */
  public static Optional<Topic<?>> byName(String name) {
    return ALL.stream().filter(topic -> topic.name().equals(name)).findFirst();
  }
}
