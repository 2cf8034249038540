package io.caudal.qoe.kafka;

import io.caudal.schemas.HeartbeatType;
import io.caudal.schemas.JsonAvroCodec;
import io.caudal.schemas.PlayerHeartbeat;
import io.caudal.schemas.Topic;
import io.caudal.schemas.Topics;
import io.caudal.testing.SampleEvents;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Input events and when each is sent (by default at its event time), given in any order; read
 * back in the order they are sent, as Kafka records (stamped with that time, as a producer
 * stamps what it sends) and as replay-file lines. Each event is a
 * {@link SampleEvents} one with the fields the tests' expectations rest on set here: region
 * {@value #REGION}, a 6000 kbit/s top rung, RTCP's 90 kHz clock (jitter 900 is 10 ms), servers
 * at 40 % memory and a tenth of their egress.
 */
public final class Script {
  public static final String REGION = "eu";

  private record Sent(long at, ProducerRecord<byte[], byte[]> record, String line) {}

  private final List<Sent> sent = new ArrayList<>();
  private int nextId;
  private Long sendAt;
  private long producerAheadMs;

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
    PlayerHeartbeat event = SampleEvents.heartbeat(session, t)
        .setEventId("e" + nextId++).setTitleId(title).setType(type).setServerId(server).setRegion(REGION)
        .setPlayheadMs(playheadMs).setBitrateKbps(bitrate).setBufferMs(bufferMs).setThroughputKbps(throughput)
        .setTopBitrateKbps(6000).setErrorCode(type == HeartbeatType.ERROR ? "E1" : null)
        .build();
    add(Topics.HEARTBEAT, event);
    return event;
  }

  public void rtcp(String session, String server, long t, int fractionLost, long jitter) {
    add(Topics.RTCP, SampleEvents.rtcp(session, t)
        .setEventId("e" + nextId++).setServerId(server).setFractionLost(fractionLost).setJitter(jitter)
        .setClockRate(90_000).build());
  }

  public void health(String server, long t, double cpu, List<String> titles) {
    add(Topics.SERVER_HEALTH, SampleEvents.health(server, t)
        .setRegion(REGION).setCpuUtil(cpu).setMemUtil(0.4).setEgressMbps(100).setCapacityMbps(1000)
        .setTitles(titles).build());
  }

  /** A resend of an event already sent, a second later: same bytes, same event id. */
  public void resend(PlayerHeartbeat event, long at) {
    sentAt(at);
    add(Topics.HEARTBEAT, event);
  }

  /** The next event is sent by a producer whose clock is this far ahead: its record's timestamp is. */
  public Script producerAhead(long ms) {
    producerAheadMs = ms;
    return this;
  }

  /** Bytes that are no Avro event at all, on the heartbeat topic. */
  public void garbage(String text, long at) {
    sent.add(new Sent(at, new ProducerRecord<>(Topics.HEARTBEAT.name(), null, at, null,
        text.getBytes(StandardCharsets.UTF_8)), text));
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
    long stamped = at + producerAheadMs;
    producerAheadMs = 0;
    String json = JsonAvroCodec.toJson(event);
    sent.add(new Sent(at, new ProducerRecord<>(topic.name(), null, stamped, topic.keyOf(event),
        JsonAvroCodec.toBytes(event)),
        "{\"topic\":\"" + topic.name() + "\"," + json.substring(1)));
  }
}
