package io.caudal.edge.collect;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.caudal.edge.http.EdgeMetrics;
import io.caudal.schemas.PlayerHeartbeat;
import io.caudal.schemas.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns CMCD reports into player.heartbeat events of this server and region, sends them to Kafka,
 * and keeps the sessions that reported in the last minute (the health report's active sessions).
 */
public final class CmcdCollector {

  private static final Logger LOG = LoggerFactory.getLogger(CmcdCollector.class);
  /** A session that has not reported for this long is no longer counted as active. */
  static final Duration SESSION_ACTIVE_FOR = Duration.ofSeconds(60);

  private final KafkaPublisher kafka;
  private final String serverId;
  private final String region;
  private final EdgeMetrics metrics;
  /** Sessions that reported lately, with what a CMCD v2 play-state report is read against. */
  private final Cache<String, CmcdHeartbeats.SessionState> sessions =
      Caffeine.newBuilder().expireAfterWrite(SESSION_ACTIVE_FOR).build();

  public CmcdCollector(KafkaPublisher kafka, String serverId, String region, EdgeMetrics metrics) {
    this.kafka = kafka;
    this.serverId = serverId;
    this.region = region;
    this.metrics = metrics;
  }

  /**
   * CMCD riding on a media request, with the user and title its playback token grants. Sent without
   * waiting, so Kafka never holds up the media; malformed CMCD is counted and dropped.
   *
   * @param queryArgument the request's {@code CMCD} query argument, or null
   * @param header the request's headers by name
   */
  public void collectAlongside(String queryArgument, UnaryOperator<String> header, String userId, String titleId) {
    try {
      Map<String, Object> keys = Cmcd.ofRequest(queryArgument, header);
      if (keys.isEmpty()) {
        return;
      }
      long now = System.currentTimeMillis();
      PlayerHeartbeat heartbeat = CmcdHeartbeats.toHeartbeat(keys, userId, titleId, serverId, region, now,
          stateOf(keys.get("sid")));
      EventBatch.check(heartbeat, now, "CMCD");
      remember(heartbeat);
      kafka.send(Topics.HEARTBEAT, heartbeat);
      metrics.accepted("cmcd_media", 1);
    } catch (IllegalArgumentException e) {
      metrics.badRecord("cmcd");
      LOG.debug("ignored CMCD on a media request: {}", e.getMessage());
    }
  }

  /**
   * Reports sent to the collector. Every report is mapped before any is sent, so a batch is refused
   * whole, naming the first bad report.
   *
   * @param userId the user of the request's playback grant
   * @param titleId the title of the request's playback grant; a report's cid, if any, must name it
   * @return how many reports Kafka acknowledged: all of them
   * @throws IllegalArgumentException naming the bad report and key, or a batch over {@link EventBatch#MAX_EVENTS}
   * @throws KafkaPublisher.Unavailable when Kafka did not acknowledge them all
   */
  public int collect(List<Map<String, Object>> reports, String userId, String titleId) {
    if (reports.size() > EventBatch.MAX_EVENTS) {
      throw new IllegalArgumentException("a batch holds at most " + EventBatch.MAX_EVENTS + " reports, got " + reports.size());
    }
    long now = System.currentTimeMillis();
    List<PlayerHeartbeat> heartbeats = new ArrayList<>(reports.size());
    // Reports of one batch are read in order against each other's state; the state is kept only
    // once the whole batch is accepted.
    Map<String, CmcdHeartbeats.SessionState> batchState = new HashMap<>();
    for (int i = 0; i < reports.size(); i++) {
      try {
        Object cid = reports.get(i).get("cid");
        if (cid != null && !titleId.equals(cid)) {
          throw new IllegalArgumentException("cid: not_granted: the playback token is for title " + titleId);
        }
        Object sid = reports.get(i).get("sid");
        CmcdHeartbeats.SessionState state = batchState.containsKey(String.valueOf(sid))
            ? batchState.get(String.valueOf(sid)) : stateOf(sid);
        PlayerHeartbeat heartbeat = CmcdHeartbeats.toHeartbeat(reports.get(i), userId, titleId, serverId, region, now,
            state);
        EventBatch.check(heartbeat, now, "report");
        batchState.put(heartbeat.getSessionId(), state.after(heartbeat));
        heartbeats.add(heartbeat);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(reports.size() == 1 ? e.getMessage() : "reports[" + i + "]: " + e.getMessage());
      }
    }
    kafka.sendAndWait(Topics.HEARTBEAT, heartbeats);
    sessions.putAll(batchState);
    metrics.accepted("cmcd", heartbeats.size());
    return heartbeats.size();
  }

  private CmcdHeartbeats.SessionState stateOf(Object sid) {
    CmcdHeartbeats.SessionState state = sid instanceof String s ? sessions.getIfPresent(s) : null;
    return state == null ? CmcdHeartbeats.SessionState.NEW : state;
  }

  private void remember(PlayerHeartbeat heartbeat) {
    sessions.asMap().merge(heartbeat.getSessionId(), CmcdHeartbeats.SessionState.NEW.after(heartbeat),
        (old, fresh) -> old.after(heartbeat));
  }

  /** Sessions that sent CMCD data in the last minute. */
  public int activeSessions() {
    sessions.cleanUp();
    return (int) sessions.estimatedSize();
  }
}
