package io.caudal.cluster;

import io.caudal.schemas.HeartbeatType;
import io.caudal.schemas.JsonAvroCodec;
import io.caudal.schemas.Topic;
import io.caudal.schemas.Topics;
import io.caudal.testing.SampleEvents;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * A seeded fleet's input to qoe-stream, in event-time order: sessions that request, start, beat,
 * stall now and then, report RTCP and end or exit, on servers that report their health (one of
 * them crossing the CPU threshold half-way, so steering has something to decide). The events are
 * {@link SampleEvents} ones with what steers the job's decisions set here.
 */
final class QoeTraffic {
  private record Timed(long time, ProducerRecord<byte[], byte[]> record) {}

  private final List<Timed> events = new ArrayList<>();
  private int nextId;

  static List<ProducerRecord<byte[], byte[]>> fleet(int sessions, long from, long seed) {
    QoeTraffic traffic = new QoeTraffic();
    Random random = new Random(seed);
    long last = from;
    for (int s = 0; s < sessions; s++) {
      String id = "session-" + s;
      String title = "title-" + random.nextInt(20);
      String server = "srv-" + (char) ('a' + random.nextInt(3));
      String region = random.nextBoolean() ? "eu" : "us";
      long start = from + random.nextInt(10 * 60_000);
      int beats = 3 + random.nextInt(12);
      traffic.heartbeat(id, title, server, region, start, HeartbeatType.PLAY_REQUESTED, 0, null, null, null);
      if (random.nextInt(25) == 0) {
        traffic.heartbeat(id, title, server, region, start + 2000, HeartbeatType.ERROR, 0, null, null, null);
        continue;
      }
      long t = start + 500 + random.nextInt(3000);
      traffic.heartbeat(id, title, server, region, t, HeartbeatType.STARTED, 0, 3000, 8000L, 9000);
      for (int b = 1; b <= beats; b++) {
        t = start + 4000 + b * 5000L;
        traffic.heartbeat(id, title, server, region, t, HeartbeatType.HEARTBEAT, b * 5000L, 3000,
            (long) random.nextInt(40_000), 500 + random.nextInt(12_000));
        if (random.nextInt(8) == 0) {
          traffic.heartbeat(id, title, server, region, t + 1000, HeartbeatType.STALL_START, b * 5000L + 1000, 3000, 0L, 400);
          traffic.heartbeat(id, title, server, region, t + 2500, HeartbeatType.STALL_END, b * 5000L + 1000, 3000, 4000L, 3000);
        }
        if (b % 3 == 0) {
          traffic.rtcp(id, server, t + 1, random.nextInt(20), random.nextInt(3000));
        }
      }
      t = start + 4000 + (beats + 1) * 5000L;
      traffic.heartbeat(id, title, server, region, t, random.nextInt(4) == 0 ? HeartbeatType.EXIT : HeartbeatType.ENDED,
          beats * 5000L, 3000, null, null);
      last = Math.max(last, t);
    }
    for (long t = from; t <= last; t += 5000) {
      for (String server : List.of("srv-a", "srv-b", "srv-c")) {
        double cpu = server.equals("srv-b") && t >= from + 5 * 60_000 ? 0.92 : 0.35;
        traffic.health(server, server.equals("srv-c") ? "us" : "eu", t, cpu);
      }
    }
    // Stable: equal times keep the order they were made in.
    traffic.events.sort(Comparator.comparingLong(Timed::time));
    return traffic.events.stream().map(Timed::record).toList();
  }

  private void heartbeat(String session, String title, String server, String region, long t, HeartbeatType type,
      long playheadMs, Integer bitrate, Long bufferMs, Integer throughput) {
    // 500 viewers between them.
    add(Topics.HEARTBEAT, t, SampleEvents.heartbeat(session, t)
        .setEventId("e" + nextId++).setUserId("user-" + Math.floorMod(session.hashCode(), 500))
        .setTitleId(title).setType(type).setServerId(server).setRegion(region)
        .setPlayheadMs(playheadMs).setBitrateKbps(bitrate).setBufferMs(bufferMs).setThroughputKbps(throughput)
        .setTopBitrateKbps(6000).setErrorCode(type == HeartbeatType.ERROR ? "E1" : null).build());
  }

  private void rtcp(String session, String server, long t, int fractionLost, long jitter) {
    add(Topics.RTCP, t, SampleEvents.rtcp(session, t)
        .setEventId("e" + nextId++).setServerId(server).setFractionLost(fractionLost).setJitter(jitter)
        .setClockRate(90_000).build());
  }

  private void health(String server, String region, long t, double cpu) {
    add(Topics.SERVER_HEALTH, t, SampleEvents.health(server, t)
        .setRegion(region).setCpuUtil(cpu).setMemUtil(0.4).setEgressMbps(100).setCapacityMbps(1000)
        .setTitles(List.of("title-1", "title-2")).build());
  }

  private <V extends SpecificRecord> void add(Topic<V> topic, long time, V event) {
    events.add(new Timed(time, new ProducerRecord<>(topic.name(), topic.keyOf(event), JsonAvroCodec.toBytes(event))));
  }
}
