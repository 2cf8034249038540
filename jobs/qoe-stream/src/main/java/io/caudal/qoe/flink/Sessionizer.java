package io.caudal.qoe.flink;

import io.caudal.qoe.core.BitrateCapPolicy;
import io.caudal.qoe.core.DecisionVersion;
import io.caudal.qoe.core.EventValidator;
import io.caudal.qoe.core.MinuteContribution;
import io.caudal.qoe.core.SessionQoe;
import io.caudal.qoe.core.TitleLadder;
import io.caudal.schemas.BitrateDecision;
import io.caudal.schemas.DeadLetter;
import io.caudal.schemas.JsonAvroCodec;
import io.caudal.schemas.PlayerHeartbeat;
import io.caudal.schemas.PlayerRtcp;
import io.caudal.schemas.QoeSession;
import io.caudal.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.ListTypeInfo;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * One session's heartbeats and RTCP reports → its {@code qoe_sessions} row, its share of each
 * minute, and its bitrate caps.
 *
 * <p>A resent event (same event id, same time) is dropped while its original waits in the
 * buffer; a resend after the original was applied is behind the watermark, so late.
 *
 * <p>Events may arrive out of order within the watermark bound, so each is buffered until the
 * watermark passes its event time and then applied in event-time order (heartbeats before
 * reports of the same millisecond): the result does not depend on arrival order, and a replay
 * gives what the live run gave. An event already behind the watermark when it arrives is late
 * and becomes a dead letter; so do an RTCP report of a session no heartbeat opened, and events
 * stamped after their session closed. The session closes on ENDED, EXIT or a fatal ERROR, or
 * after {@code inactivityMs} without events; its state is then cleared.
 *
 * <p>At each minute's end (an event-time timer) the session's share of that minute goes out,
 * for {@code qoe_minute} and steering; after each heartbeat, its bitrate cap is re-evaluated.
 */
public final class Sessionizer extends KeyedCoProcessFunction<String, PlayerHeartbeat, PlayerRtcp, QoeSession> {
  public static final OutputTag<DeadLetter> DEAD_LETTERS =
      new OutputTag<>("session-dead-letters", TypeInformation.of(DeadLetter.class));
  public static final OutputTag<BitrateDecision> BITRATE =
      new OutputTag<>("bitrate", TypeInformation.of(BitrateDecision.class));
  public static final OutputTag<MinuteContribution> MINUTES =
      new OutputTag<>("minutes", TypeInformation.of(MinuteContribution.class));

  private static final long MINUTE_MS = 60_000;

  private final long inactivityMs;
  private final Map<String, TitleLadder> titles;
  private final int[] defaultLadderKbps;
  private final BitrateCapPolicy capPolicy;

  private transient MapState<Long, List<PlayerHeartbeat>> pendingHeartbeats;
  private transient MapState<Long, List<PlayerRtcp>> pendingReports;
  private transient ValueState<Kept> keptState;

  /**
   * What a session keeps besides its buffered events, in one state: a checkpoint writes every
   * state entry with its key, so one entry per session rather than four. Written by
   * {@link SessionFormat}, which is what to change when a field is added here or in SessionQoe.
   */
  static final class Kept {
    SessionQoe qoe;
    BitrateCapPolicy.Decision cap;
    /** Pending timers, or null. */
    Long minuteTimer;
    Long inactivityTimer;
  }

  /**
   * @param titles the catalog's titles by id, for completion and ladders
   * @param defaultLadderKbps the ladder assumed for a title the catalog does not know
   */
  public Sessionizer(long inactivityMs, Map<String, TitleLadder> titles, int[] defaultLadderKbps, BitrateCapPolicy capPolicy) {
    this.inactivityMs = inactivityMs;
    this.titles = Map.copyOf(titles);
    this.defaultLadderKbps = defaultLadderKbps.clone();
    this.capPolicy = capPolicy;
  }

  @Override
  public void open(OpenContext context) {
    // Lists of Avro records with Flink's own list and Avro serializers, not Kryo.
    pendingHeartbeats = getRuntimeContext().getMapState(new MapStateDescriptor<>("heartbeats", Types.LONG,
        new ListTypeInfo<>(TypeInformation.of(PlayerHeartbeat.class))));
    pendingReports = getRuntimeContext().getMapState(new MapStateDescriptor<>("reports", Types.LONG,
        new ListTypeInfo<>(TypeInformation.of(PlayerRtcp.class))));
    keptState = getRuntimeContext().getState(new ValueStateDescriptor<>("session",
        new FormatTypeInfo<>(Kept.class, SessionFormat.class)));
  }

  @Override
  public void processElement1(PlayerHeartbeat event, Context ctx, Collector<QoeSession> out) throws Exception {
    if (isLate(event.getEventTime(), event, Topics.HEARTBEAT.name(), ctx)) {
      return;
    }
    if (EventTimeBuffer.addNew(pendingHeartbeats, event.getEventTime(), event, PlayerHeartbeat::getEventId)) {
      ctx.timerService().registerEventTimeTimer(event.getEventTime());
    }
  }

  @Override
  public void processElement2(PlayerRtcp report, Context ctx, Collector<QoeSession> out) throws Exception {
    if (isLate(report.getEventTime(), report, Topics.RTCP.name(), ctx)) {
      return;
    }
    if (EventTimeBuffer.addNew(pendingReports, report.getEventTime(), report, PlayerRtcp::getEventId)) {
      ctx.timerService().registerEventTimeTimer(report.getEventTime());
    }
  }

  private boolean isLate(long eventTime, SpecificRecord event, String topic, Context ctx) {
    long watermark = ctx.timerService().currentWatermark();
    if (eventTime > watermark) {
      return false;
    }
    ctx.output(DEAD_LETTERS, EventValidator.late(topic, key(ctx.getCurrentKey()), JsonAvroCodec.toBytes(event),
        ctx.timerService().currentProcessingTime(), eventTime, watermark));
    return true;
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<QoeSession> out) throws Exception {
    Kept kept = Optional.ofNullable(keptState.value()).orElseGet(Kept::new);
    SessionQoe qoe = kept.qoe;
    List<Map.Entry<Long, List<PlayerHeartbeat>>> beats = EventTimeBuffer.takeDue(pendingHeartbeats, timestamp);
    List<Map.Entry<Long, List<PlayerRtcp>>> reports = EventTimeBuffer.takeDue(pendingReports, timestamp);
    int b = 0;
    int r = 0;
    while (b < beats.size() || r < reports.size()) {
      // The earliest time either buffer held: its heartbeats, then its reports.
      long t = Math.min(b < beats.size() ? beats.get(b).getKey() : Long.MAX_VALUE,
          r < reports.size() ? reports.get(r).getKey() : Long.MAX_VALUE);
      List<PlayerHeartbeat> beatsAtT = b < beats.size() && beats.get(b).getKey() == t ? beats.get(b++).getValue()
          : List.of();
      List<PlayerRtcp> reportsAtT = r < reports.size() && reports.get(r).getKey() == t ? reports.get(r++).getValue()
          : List.of();
      // Every heartbeat of this millisecond is applied now, in input order: the cap decisions
      // they make are numbered in that order (their versions), the same after a restart.
      int decided = 0;
      for (PlayerHeartbeat e : beatsAtT) {
        if (qoe == null) {
          qoe = new SessionQoe();
        }
        if (qoe.isEnded()) {
          strayAfterClose(e, Topics.HEARTBEAT.name(), ctx);
          continue;
        }
        qoe.onHeartbeat(e);
        if (decideCap(qoe, kept, ctx, t, decided)) {
          decided++;
        }
      }
      for (PlayerRtcp report : reportsAtT) {
        if (qoe == null || !qoe.isKnown()) {
          ctx.output(DEAD_LETTERS, EventValidator.deadLetter(Topics.RTCP.name(), key(ctx.getCurrentKey()),
              JsonAvroCodec.toBytes(report), ctx.timerService().currentProcessingTime(), "unknown_session",
              "no heartbeat opened session '" + report.getSessionId() + "' before this report"));
        } else if (qoe.isEnded()) {
          strayAfterClose(report, Topics.RTCP.name(), ctx);
        } else {
          qoe.onRtcp(report);
        }
      }
    }
    if (qoe == null || !qoe.isKnown()) {
      return;
    }
    kept.qoe = qoe;
    if (qoe.isEnded()) {
      close(kept, "ended", ctx, out);
      return;
    }
    Long minuteEnd = kept.minuteTimer;
    if (minuteEnd != null && minuteEnd == timestamp) {
      qoe.accrueTo(timestamp + 1);
      ctx.output(MINUTES, contribution(qoe, timestamp + 1 - MINUTE_MS));
      minuteEnd = null;
    }
    kept.minuteTimer = minuteEnd;
    // The inactivity timer is not moved at every event: when it fires early, it is set again
    // for the session's real deadline, which spares a timer removal and insertion per event.
    long deadline = qoe.lastEventTime() + inactivityMs;
    Long inactivity = kept.inactivityTimer;
    if (inactivity != null && inactivity == timestamp) {
      if (deadline <= timestamp) {
        close(kept, "inactivity", ctx, out);
        return;
      }
      inactivity = null;
    }
    if (minuteEnd == null) {
      // The end of the minute after now (a timer at now would fire again at once).
      long next = Math.max(timestamp + 1, qoe.lastEventTime()) / MINUTE_MS * MINUTE_MS + MINUTE_MS - 1;
      ctx.timerService().registerEventTimeTimer(next);
      kept.minuteTimer = next;
    }
    if (inactivity == null) {
      ctx.timerService().registerEventTimeTimer(deadline);
      kept.inactivityTimer = deadline;
    }
    keptState.update(kept);
  }

  /** Re-evaluates the session's cap after a heartbeat of time {@code t}; whether a decision went out. */
  private boolean decideCap(SessionQoe qoe, Kept kept, OnTimerContext ctx, long t, int ordinal) {
    Optional<BitrateCapPolicy.Observation> seen = qoe.observation();
    if (seen.isEmpty()) {
      return false;
    }
    Optional<BitrateCapPolicy.Decision> decision = capPolicy.evaluate(ladderOf(qoe), seen.get(), kept.cap);
    if (decision.isEmpty()) {
      return false;
    }
    kept.cap = decision.get();
    BitrateDecision published = decision.get().toBitrateDecision(qoe.sessionId());
    published.setVersion(DecisionVersion.of(t, ordinal));
    ctx.output(BITRATE, published);
    return true;
  }

  /** Emits the row and the last minute's share, and clears every state of the session. */
  private void close(Kept kept, String reasonIfOpen, OnTimerContext ctx, Collector<QoeSession> out)
      throws Exception {
    SessionQoe qoe = kept.qoe;
    TitleLadder title = titles.get(qoe.titleId());
    out.collect(qoe.result(title == null ? 0 : title.durationMs(), reasonIfOpen, ladderOf(qoe)));
    if (qoe.isEnded()) {
      // A session closed for inactivity had its last share at the last minute's end.
      ctx.output(MINUTES, contribution(qoe, ctx.timestamp() / MINUTE_MS * MINUTE_MS));
    }
    for (Long timer : Arrays.asList(kept.inactivityTimer, kept.minuteTimer)) {
      if (timer != null) {
        ctx.timerService().deleteEventTimeTimer(timer);
      }
    }
    for (Long t : pendingHeartbeats.keys()) {
      ctx.timerService().deleteEventTimeTimer(t);
      for (PlayerHeartbeat stray : pendingHeartbeats.get(t)) {
        strayAfterClose(stray, Topics.HEARTBEAT.name(), ctx);
      }
    }
    for (Long t : pendingReports.keys()) {
      ctx.timerService().deleteEventTimeTimer(t);
      for (PlayerRtcp stray : pendingReports.get(t)) {
        strayAfterClose(stray, Topics.RTCP.name(), ctx);
      }
    }
    keptState.clear();
    pendingHeartbeats.clear();
    pendingReports.clear();
  }

  private MinuteContribution contribution(SessionQoe qoe, long minute) {
    return new MinuteContribution(minute, qoe.serverId(), qoe.region(), qoe.isp(), qoe.device(), qoe.titleId(),
        qoe.drainMinute(ladderOf(qoe)));
  }

  /** The session's title's ladder, or the default one when the catalog lacks the title. */
  private int[] ladderOf(SessionQoe qoe) {
    TitleLadder title = titles.get(qoe.titleId());
    return title != null && title.ladderKbps().length > 0 ? title.ladderKbps() : defaultLadderKbps;
  }

  private void strayAfterClose(SpecificRecord event, String topic, OnTimerContext ctx) {
    ctx.output(DEAD_LETTERS, EventValidator.deadLetter(topic, key(ctx.getCurrentKey()), JsonAvroCodec.toBytes(event),
        ctx.timerService().currentProcessingTime(), "after_close",
        "session '" + ctx.getCurrentKey() + "' had closed before this event's time"));
  }

  private static byte[] key(String sessionId) {
    return sessionId.getBytes(StandardCharsets.UTF_8);
  }
}
