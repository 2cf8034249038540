package io.caudal.edge.http;

import io.caudal.edge.collect.Cmcd;
import io.caudal.edge.collect.CmcdCollector;
import io.caudal.edge.collect.CmcdJson;
import io.caudal.edge.collect.EventBatch;
import io.caudal.edge.collect.KafkaPublisher;
import io.caudal.edge.entitle.PlaybackToken;
import io.caudal.edge.entitle.TokenSigner;
import io.caudal.schemas.PlayerHeartbeat;
import io.caudal.schemas.Topics;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The collector: {@code /v1/events} takes player events as JSON and {@code /v1/cmcd} takes CMCD,
 * both answered 202 once Kafka acknowledged every event. Both need the playback token as their
 * credential ({@link Credentials}): the user and title are the grant's, the server and region this
 * server's, whatever the body says.
 */
public final class CollectorHandler {

  private final KafkaPublisher kafka;
  private final CmcdCollector cmcd;
  private final EdgeMetrics metrics;
  private final TokenSigner signer;
  private final String serverId;
  private final String region;

  public CollectorHandler(KafkaPublisher kafka, CmcdCollector cmcd, EdgeMetrics metrics, TokenSigner signer,
      String serverId, String region) {
    this.kafka = kafka;
    this.cmcd = cmcd;
    this.metrics = metrics;
    this.signer = signer;
    this.serverId = serverId;
    this.region = region;
  }

  /** {@code POST /v1/events}: one event, an array of them, or {@code {"events": [...]}}. */
  public void events(Exchange x) throws IOException {
    Optional<PlaybackToken> grant = Credentials.grant(x, signer);
    if (grant.isEmpty()) {
      return;
    }
    EventBatch.Stamp stamp = new EventBatch.Stamp(grant.get().userId(), grant.get().titleId(), serverId, region);
    List<PlayerHeartbeat> batch = EventBatch.parse(x.body(), System.currentTimeMillis(), stamp);
    kafka.sendAndWait(Topics.HEARTBEAT, batch);
    metrics.accepted("json", batch.size());
    x.json(202, new Accepted(batch.size()));
  }

  /**
   * {@code GET/POST /v1/cmcd}: CMCD in the query argument, the CMCD headers, a JSON body, or a CMCD v2
   * event-mode body ({@code application/cmcd}, one report per line).
   */
  public void cmcd(Exchange x) throws IOException {
    Optional<PlaybackToken> grant = Credentials.grant(x, signer);
    if (grant.isEmpty()) {
      return;
    }
    List<Map<String, Object>> reports = new ArrayList<>();
    Map<String, Object> onRequest = Cmcd.ofRequest(x.query().getValue(Cmcd.QUERY_ARGUMENT), x::requestHeader);
    if (!onRequest.isEmpty()) {
      reports.add(onRequest);
    }
    if (x.method().equals("POST")) {
      String body = x.body();
      if (!body.isBlank()) {
        String type = x.requestHeader("Content-Type");
        // CMCD v2 event mode posts one CMCD list per line; anything else is CMCD JSON.
        reports.addAll(type != null && Cmcd.isEventModeType(type) ? Cmcd.parseLines(body) : CmcdJson.parse(body));
      }
    }
    if (reports.isEmpty()) {
      throw new IllegalArgumentException("no CMCD data: send the CMCD query argument, CMCD-* headers or a JSON body");
    }
    x.json(202, new Accepted(cmcd.collect(reports, grant.get().userId(), grant.get().titleId())));
  }

  /** The answer once Kafka has the events: how many. */
  record Accepted(int accepted) {}
}
