package io.caudal.schemas;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;

/** A realistic instance of every Caudal record, shared by the tests. */
final class Samples {

  /** 2025-03-14T20:15:00Z. */
  static final long EVENING = 1_741_983_300_000L;

  private Samples() {}

  static PlayerHeartbeat heartbeat() {
    return PlayerHeartbeat.newBuilder()
        .setEventId("e-7f3a9c10")
        .setSessionId("s-42")
        .setUserId("u-1001")
        .setTitleId("t-big-buck-bunny")
        .setEventTime(EVENING + 12_000)
        .setType(HeartbeatType.HEARTBEAT)
        .setServerId("edge-eu-1")
        .setRegion("eu-west")
        .setIsp("telco-a")
        .setDevice("web")
        .setPlayheadMs(9_800)
        .setBitrateKbps(3_000)
        .setBufferMs(18_400L)
        .setThroughputKbps(24_500)
        .setTopBitrateKbps(6_000)
        .setDroppedFrames(3)
        .setErrorCode(null)
        .build();
  }

  /** A PLAY_REQUESTED event: nothing is playing yet, so the CMCD fields are absent. */
  static PlayerHeartbeat playRequested() {
    return PlayerHeartbeat.newBuilder(heartbeat())
        .setEventTime(EVENING)
        .setType(HeartbeatType.PLAY_REQUESTED)
        .setPlayheadMs(0)
        .setBitrateKbps(null)
        .setBufferMs(null)
        .setThroughputKbps(null)
        .setTopBitrateKbps(null)
        .setDroppedFrames(null)
        .build();
  }

  static PlayerRtcp rtcp() {
    return PlayerRtcp.newBuilder()
        .setEventId("r-0001")
        .setSessionId("s-42")
        .setServerId("edge-eu-1")
        .setEventTime(EVENING + 15_000)
        .setSsrc(0xDEADBEEFL)
        .setFractionLost(5)
        .setCumulativeLost(17)
        .setHighestSeq(70_123L)
        .setJitter(1_350L)
        .setClockRate(90_000)
        .setLsr(0xA1B2C3D4L)
        .setDlsr(6_554L)
        .setRttMs(38.5)
        .build();
  }

  static ServerHealth serverHealth() {
    return ServerHealth.newBuilder()
        .setServerId("edge-eu-1")
        .setRegion("eu-west")
        .setEventTime(EVENING + 10_000)
        .setCpuUtil(0.62)
        .setMemUtil(0.48)
        .setDiskFreeBytes(812_345_678_901L)
        .setPendingBytes(48_000_000L)
        .setActiveSessions(1_204)
        .setEgressMbps(3_400.5)
        .setCapacityMbps(10_000.0)
        .setTitles(List.of("t-big-buck-bunny", "t-sintel", "t-tears-of-steel"))
        .setPublicUrl("https://edge-eu-1.example.net")
        .build();
  }

  static BitrateDecision bitrateDecision() {
    return BitrateDecision.newBuilder()
        .setSessionId("s-42")
        .setEventTime(EVENING + 20_000)
        .setMaxBitrateKbps(1_800)
        .setReason("rebuffering")
        .build();
  }

  static SteeringDecision steeringDecision() {
    return SteeringDecision.newBuilder()
        .setRegion("eu-west")
        .setEventTime(EVENING + 30_000)
        .setTtlSeconds(300)
        .setPathwayPriority(List.of("edge-eu-2", "edge-eu-3", "edge-eu-1"))
        .setExcluded(List.of(new ExcludedServer("edge-eu-1", "cpu_over_threshold")))
        .setReplications(List.of(new ReplicationRequest("t-sintel", "edge-eu-2", "no_eligible_holder")))
        .build();
  }

  static DeadLetter deadLetter() {
    return DeadLetter.newBuilder()
        .setSourceTopic("player.heartbeat")
        .setReceivedTime(EVENING + 40_000)
        .setReason("malformed")
        .setDetail("PlayerHeartbeat.eventTime: expected long, got string \"yesterday\"")
        .setKey(ByteBuffer.wrap("s-42".getBytes(StandardCharsets.UTF_8)))
        .setPayload(ByteBuffer.wrap(new byte[] {(byte) 0xC3, 0x01, 0x00, (byte) 0xFF, 0x7F}))
        .build();
  }

  static CatalogEntry catalogEntry() {
    return CatalogEntry.newBuilder()
        .setTitleId("t-big-buck-bunny")
        .setName("Big Buck Bunny")
        .setCategory("animation")
        .setDurationMs(596_458L)
        .setWidth(1920)
        .setHeight(1080)
        .setHasVideo(true)
        .setHasAudio(true)
        .setLadder(List.of(
            new Rung("360p", 640, 360, "avc1.64001e", 800, 742, 1_120, 55_300_000L, null, 78.4),
            new Rung("720p", 1280, 720, "avc1.64001f", 3_000, 2_810, 4_050, 209_500_000L, null, 89.1),
            new Rung("1080p", 1920, 1080, "avc1.640028", 6_000, 5_640, 8_230, 420_400_000L, null, 94.6)))
        .setAudioBytes(9_560_000L)
        .setSegmentDurationMs(4_000L)
        .setSourceUri("hdfs://namenode:8020/caudal/mezzanine/big_buck_bunny.mov")
        .setCreatedAt(EVENING - 86_400_000L)
        .setRatingCount(12)
        .setRatingAverage(4.25)
        .setAudioTracks(List.of(
            new AudioTrack("audio-en-2ch", "en", "English", 2, "mp4a.40.2", true, 9_560_000L, -19.3, -0.4, -24.0, -2.6),
            new AudioTrack("audio-fr-6ch", "fr", "Français 5.1", 6, "mp4a.40.2", false, 19_100_000L, -27.1, -6.2,
                -24.1, -3.0)))
        .setTextTracks(List.of(new TextTrack("text-en-sdh", "en", "English (SDH)", "caption", 812, "bbb.en.srt")))
        .setThumbnails(new Thumbnails(10_000L, 320, 180, 5, 5, 60))
        .build();
  }

  static QoeSession qoeSession() {
    return QoeSession.newBuilder()
        .setSessionId("s-42")
        .setUserId("u-1001")
        .setTitleId("t-big-buck-bunny")
        .setServerId("edge-eu-1")
        .setRegion("eu-west")
        .setIsp("telco-a")
        .setDevice("web")
        .setStartTime(EVENING)
        .setEndTime(EVENING + 610_000)
        .setStartupTimeMs(1_240L)
        .setVideoStartFailure(false)
        .setExitBeforeVideoStart(false)
        .setPlaybackFailure(false)
        .setStallCount(2)
        .setStalledMs(3_100L)
        .setPlayingMs(596_000L)
        .setRebufferingRatio(3_100.0 / 599_100.0)
        .setAvgBitrateKbps(2_870.4)
        .setBitrateSwitches(4)
        .setCompletion(0.998)
        .setLossFraction(0.012)
        .setJitterMs(14.7)
        .setRttMs(null)
        .setEndReason("ENDED")
        .build();
  }

  static QoeMinute qoeMinute() {
    return QoeMinute.newBuilder()
        .setMinute(EVENING)
        .setDimension("server")
        .setKey("edge-eu-1")
        .setAttempts(120)
        .setPlays(113)
        .setVsfPct(1.67)
        .setEbvsPct(4.17)
        .setStartupP50Ms(1_150L)
        .setStartupP95Ms(3_900L)
        .setRebufferingRatio(0.004)
        .setAvgBitrateKbps(3_120.0)
        .setErrors(3)
        .setLossFraction(0.008)
        .setJitterMs(11.2)
        .setConcurrentSessions(1_204)
        .build();
  }

  static Recommendation recommendation() {
    return Recommendation.newBuilder()
        .setUserId("u-1001")
        .setRank(1)
        .setTitleId("t-sintel")
        .setScore(4.73)
        .setModelVersion("als-2025-03-14")
        .build();
  }

  static UserRating userRating() {
    return UserRating.newBuilder()
        .setUserId("u-1001")
        .setTitleId("t-sintel")
        .setStars(4)
        .setRatedAt(1_741_950_000_000L)
        .build();
  }

  static Alert alert() {
    return Alert.newBuilder()
        .setAlertId("anomaly-vsfPct-region-eu-west-1741950000000")
        .setState(AlertState.OPEN)
        .setRevision(1)
        .setKind(AlertKind.ANOMALY)
        .setMetric("vsfPct")
        .setDimension("region")
        .setKey("eu-west")
        .setRootCause(List.of(new AlertSlice("isp", "isp-3")))
        .setOnsetMinute(1_741_950_000_000L)
        .setMinute(1_741_950_060_000L)
        .setValue(14.5)
        .setBaseline(1.2)
        .setScore(9.4)
        .setAttempts(310)
        .setMessage("vsfPct 14.5 % in region eu-west (baseline 1.2 %), explained by isp isp-3")
        .build();
  }

  /** One instance of every topic value and table row, and a few variants. */
  static List<SpecificRecord> all() {
    return List.of(
        heartbeat(), playRequested(), rtcp(), serverHealth(), bitrateDecision(), steeringDecision(),
        deadLetter(), catalogEntry(), qoeSession(), qoeMinute(), recommendation(), userRating(),
        alert());
  }
}
