package io.caudal.edge.collect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.caudal.schemas.HeartbeatType;
import io.caudal.schemas.PlayerHeartbeat;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** CMCD v2 (CTA-5004-B) as dash.js 5 sends it: structured-field lists, event-mode lines, and their mapping. */
class CmcdV2Test {

  static final long NOW = 1_760_000_000_000L;

  @Test
  void readsInnerListsParametersAndBooleans() {
    Map<String, Object> keys = Cmcd.parse(
        "bl=(21300;v 18000;a),br=(3200;v 128;a),bs=?1,e=ps,sid=\"s-1\",sn=3,sta=p,ts=1760000000123,v=2,su=?0");

    assertThat(keys.get("br")).isEqualTo(List.of(3200L, 128L));
    assertThat(keys.get("bl")).isEqualTo(List.of(21300L, 18000L));
    assertThat(keys.get("bs")).isEqualTo(true);
    assertThat(keys.get("su")).isEqualTo(false);
    assertThat(keys).containsEntry("e", "ps").containsEntry("sta", "p").containsEntry("v", 2L);
  }

  @Test
  void refusesMalformedListsNamingTheKey() {
    assertThatThrownBy(() -> Cmcd.parse("br=(3200 128")).hasMessage("CMCD: unterminated list for key br");
    assertThatThrownBy(() -> Cmcd.parse("br=(3200)x")).hasMessage("CMCD: expected ',' after key br");
    assertThatThrownBy(() -> Cmcd.parse("bs=?2")).hasMessage("CMCD: bad boolean for key bs");
    assertThatThrownBy(() -> Cmcd.parse("br=1,")).hasMessage("CMCD: trailing ',' after key br");
    assertThatThrownBy(() -> Cmcd.parse("br=1;V")).hasMessage("CMCD: bad parameter for key br");
    assertThatThrownBy(() -> Cmcd.parse("br=(" + "1 ".repeat(17) + ")"))
        .hasMessage("CMCD: more than 16 items for key br");
  }

  @Test
  void readsAnEventModeBodyLineByLineNamingTheBadLine() {
    List<Map<String, Object>> reports = Cmcd.parseLines("e=ps,sid=\"a\",sta=s,v=2\ne=t,sid=\"a\",v=2\n");

    assertThat(reports).extracting(r -> r.get("e")).containsExactly("ps", "t");
    assertThatThrownBy(() -> Cmcd.parseLines("e=ps,sid=\"a\",v=2\nsid=\"b"))
        .hasMessage("line 2: CMCD: unterminated string for key sid");
    assertThat(Cmcd.isEventModeType("application/cmcd; charset=utf-8")).isTrue();
    assertThat(Cmcd.isEventModeType("application/json")).isFalse();
  }

  @Test
  void mapsAV2SessionOntoTheHeartbeatContractLikeAV1Session() {
    List<PlayerHeartbeat> session = map(
        "e=ps,sid=\"s-1\",sta=s,v=2,sn=0,ts=1760000000000",
        "e=ps,sid=\"s-1\",sta=p,v=2,sn=1,msd=850,br=(1200),bl=(4000),pt=0",
        "e=t,sid=\"s-1\",sta=p,v=2,sn=2,br=(1200),bl=(8000),mtp=(25000),pt=5000",
        "e=bc,sid=\"s-1\",sta=p,v=2,sn=3,br=(2400),pt=6000",
        "e=ps,sid=\"s-1\",sta=r,v=2,sn=4,bl=(0),pt=7000",
        "e=ps,sid=\"s-1\",sta=p,v=2,sn=5,pt=7000",
        "e=ps,sid=\"s-1\",sta=a,v=2,sn=6,pt=9000",
        "e=ps,sid=\"s-1\",sta=p,v=2,sn=7,pt=9000",
        "e=rr,sid=\"s-1\",sta=p,v=2,sn=8,rc=200,ttfb=12,ttlb=80,url=\"https://edge/seg.m4s\"",
        "e=e,sid=\"s-1\",sta=f,v=2,sn=9,ec=\"MEDIA_ERR_DECODE\"");

    assertThat(session).extracting(PlayerHeartbeat::getType).containsExactly(
        HeartbeatType.PLAY_REQUESTED, HeartbeatType.STARTED, HeartbeatType.HEARTBEAT, HeartbeatType.BITRATE_CHANGE,
        HeartbeatType.STALL_START, HeartbeatType.STALL_END, HeartbeatType.PAUSE, HeartbeatType.RESUME,
        HeartbeatType.HEARTBEAT, HeartbeatType.ERROR);
    assertThat(session).allSatisfy(h -> {
      assertThat(h.getCmcdVersion()).isEqualTo(2);
      assertThat(h.getEventTime()).as("the collector's clock, not ts").isEqualTo(NOW);
      assertThat(h.getUserId()).isEqualTo("viewer-1");
    });
    assertThat(session.get(0).getClientTime()).isEqualTo(1_760_000_000_000L);
    assertThat(session.get(1).getMediaStartDelayMs()).isEqualTo(850);
    assertThat(session.get(2).getBitrateKbps()).isEqualTo(1200);
    assertThat(session.get(2).getBufferMs()).isEqualTo(8000);
    assertThat(session.get(2).getThroughputKbps()).isEqualTo(25000);
    assertThat(session.get(3).getBitrateKbps()).isEqualTo(2400);
    assertThat(session.get(8)).satisfies(rr -> {
      assertThat(rr.getCmcdEvent()).isEqualTo("rr");
      assertThat(rr.getResponseCode()).isEqualTo(200);
      assertThat(rr.getTtfbMs()).isEqualTo(12);
      assertThat(rr.getTtlbMs()).isEqualTo(80);
    });
    assertThat(session.get(9).getErrorCode()).isEqualTo("MEDIA_ERR_DECODE");
    assertThat(session).extracting(PlayerHeartbeat::getSequenceNumber)
        .containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
    session.forEach(h -> EventBatch.check(h, NOW, "report"));
  }

  @Test
  void mapsRequestModeV2AsV1WithRebufferingAsAStall() {
    PlayerHeartbeat request = map("br=(3200;v),bl=(21300),sid=\"s-2\",sta=r,v=2,sn=4").get(0);
    PlayerHeartbeat v1 = map("br=3200,bl=21300,sid=\"s-2\",bs").get(0);

    assertThat(request.getType()).isEqualTo(HeartbeatType.STALL_START).isEqualTo(v1.getType());
    assertThat(request.getBitrateKbps()).isEqualTo(v1.getBitrateKbps());
    assertThat(request.getBufferMs()).isEqualTo(v1.getBufferMs());
    assertThat(v1.getCmcdVersion()).isEqualTo(1);
    assertThat(v1.getPlayerState()).isNull();
  }

  @Test
  void refusesUnknownVersionsAndStates() {
    assertThatThrownBy(() -> map("sid=\"s\",v=3")).hasMessage("CMCD: v (version) must be 1 or 2, got 3");
    assertThatThrownBy(() -> map("e=ps,sid=\"s\",v=2")).hasMessage("CMCD: a play-state report (e=ps) needs sta");
    assertThatThrownBy(() -> map("e=ps,sid=\"s\",sta=z,v=2"))
        .hasMessage("CMCD: sta must be one of s, p, k, r, a, w, e, f, q, d, got z");
    assertThatThrownBy(() -> map("e=ps,sid=\"s\",sta=\"PLAYING NOW\",v=2"))
        .hasMessage("CMCD: sta must be a short token, got 'PLAYING NOW'");
    assertThatThrownBy(() -> map("br=(-5),sid=\"s\",v=2")).hasMessage("CMCD: br must be a non-negative number, got -5");
  }

  /** Maps reports in order, carrying the session state the collector keeps between them. */
  private static List<PlayerHeartbeat> map(String... lines) {
    List<PlayerHeartbeat> out = new ArrayList<>();
    CmcdHeartbeats.SessionState state = CmcdHeartbeats.SessionState.NEW;
    for (String line : lines) {
      PlayerHeartbeat h = CmcdHeartbeats.toHeartbeat(Cmcd.parse(line), "viewer-1", "title-1", "edge-a", "eu-west",
          NOW, state);
      state = state.after(h);
      out.add(h);
    }
    return out;
  }
}
