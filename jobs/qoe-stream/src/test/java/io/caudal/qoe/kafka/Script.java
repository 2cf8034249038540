package io.caudal.qoe.kafka;

import io.caudal.schemas.HeartbeatType;
import io.caudal.schemas.JsonAvroCodec;
import io.caudal.schemas.PlayerHeartbeat;
import io.caudal.schemas.PlayerRtcp;
import io.caudal.schemas.ServerHealth;
import io.caudal.schemas.Topic;
import io.caudal.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Input events and when each is sent (by default at its event time), given in any order; read
 * back in the order they are sent, as Kafka records and as replay-file lines.
 */
public final class Script {
  private record Sent(long at, ProducerRecord<byte[], byte[]> record, String line) {}

  private final List<Sent> sent = new ArrayList<>();
  private int nextId;
  private Long sendAt;

  public List<ProducerRecord<byte[], byte[]>> records() {
    return ordered().stream().map(Sent::record).toList();
  }

  public List<String> lines() {
    return ordered().stream().map(Sent::line).toList();
  }

  private List<Sent> ordered() {
    return sent.stream().sorted(Comparator.comparingLong(Sent::at)).toList();
  }

  /** The next event is sent at this time rather than at its event time (out of order, late). */
  public Script sentAt(long t) {
    sendAt = t;
    return this;
  }

  public PlayerHeartbeat heartbeat(String session, String title, String server, long t, HeartbeatType type,
      long playheadMs, Integer bitrate, Long bufferMs, Integer throughput) {
    PlayerHeartbeat event = PlayerHeartbeat.newBuilder()
        .setEventId("e" + nextId++).setSessionId(session).setUserId("user-" + session).setTitleId(title)
        .setEventTime(t).setType(type).setServerId(server).setRegion("eu").setIsp("isp-a").setDevice("web")
        .setPlayheadMs(playheadMs).setBitrateKbps(bitrate).setBufferMs(bufferMs).setThroughputKbps(throughput)
        .setTopBitrateKbps(6000).setDroppedFrames(0).setErrorCode(type == HeartbeatType.ERROR ? "E1" : null)
        .build();
    add(Topics.HEARTBEAT, event);
    return event;
  }

  public void rtcp(String session, String server, long t, int fractionLost, long jitter) {
    add(Topics.RTCP, PlayerRtcp.newBuilder()
        .setEventId("e" + nextId++).setSessionId(session).setServerId(server).setEventTime(t).setSsrc(1)
        .setFractionLost(fractionLost).setCumulativeLost(fractionLost).setHighestSeq(1000).setJitter(jitter)
        .setClockRate(90_000).setLsr(0).setDlsr(0).setRttMs(20.0).build());
  }

  public void health(String server, long t, double cpu, List<String> titles) {
    add(Topics.SERVER_HEALTH, ServerHealth.newBuilder()
        .setServerId(server).setRegion("eu").setEventTime(t).setCpuUtil(cpu).setMemUtil(0.4)
        .setDiskFreeBytes(1L << 40).setPendingBytes(0).setActiveSessions(10).setEgressMbps(100)
        .setCapacityMbps(1000).setTitles(titles).build());
  }

  /** A resend of an event already sent, a second later: same bytes, same event id. */
  public void resend(PlayerHeartbeat event, long at) {
    sentAt(at);
    add(Topics.HEARTBEAT, event);
  }

  /** Bytes that are no Avro event at all, on the heartbeat topic. */
  public void garbage(String text, long at) {
    sent.add(new Sent(at, new ProducerRecord<>(Topics.HEARTBEAT.name(), null, text.getBytes(StandardCharsets.UTF_8)),
        text));
  }

  /** Many ordinary sessions, seeded: what a fleet sends in a few minutes. */
  public void fleet(int sessions, long from, long seed) {
    Random random = new Random(seed);
    for (int s = 0; s < sessions; s++) {
      String id = "fleet-" + s;
      String title = "title-" + random.nextInt(5);
      String server = "srv-" + (char) ('a' + random.nextInt(2));
      long start = from + random.nextInt(120_000);
      int beats = 3 + random.nextInt(10);
      heartbeat(id, title, server, start, HeartbeatType.PLAY_REQUESTED, 0, null, null, null);
      heartbeat(id, title, server, start + 500 + random.nextInt(3000), HeartbeatType.STARTED, 0, 3000, 25_000L, 9000);
      for (int b = 1; b <= beats; b++) {
        long t = start + 4000 + b * 5000L;
        heartbeat(id, title, server, t, HeartbeatType.HEARTBEAT, b * 5000L, 3000, (long) random.nextInt(40_000),
            500 + random.nextInt(12_000));
        if (b % 3 == 0) {
          rtcp(id, server, t + 1, random.nextInt(20), random.nextInt(3000));
        }
      }
      heartbeat(id, title, server, start + 4000 + (beats + 1) * 5000L,
          random.nextInt(4) == 0 ? HeartbeatType.EXIT : HeartbeatType.ENDED, beats * 5000L, 3000, null, null);
    }
  }

  private <V extends SpecificRecord> void add(Topic<V> topic, V event) {
    long eventTime = (Long) event.get(event.getSchema().getField("eventTime").pos());
    long at = sendAt != null ? sendAt : eventTime;
    sendAt = null;
    String json = JsonAvroCodec.toJson(event);
    sent.add(new Sent(at, new ProducerRecord<>(topic.name(), topic.keyOf(event), JsonAvroCodec.toBytes(event)),
        "{\"topic\":\"" + topic.name() + "\"," + json.substring(1)));
  }
}
