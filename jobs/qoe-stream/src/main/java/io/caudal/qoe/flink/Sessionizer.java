package io.caudal.qoe.flink;

import io.caudal.qoe.logic.SessionQoe;
import io.caudal.schemas.PlayerHeartbeat;
import io.caudal.schemas.QoeSession;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeHint;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Turns one session's heartbeats into its {@code qoe_sessions} row. Events may arrive out of
 * order within the watermark bound, so each is buffered until the watermark passes its event
 * time and then applied in event-time order; the session ends on ENDED, EXIT or a fatal ERROR,
 * or after {@code inactivityMs} without events. State is cleared when the row is emitted; events
 * of the same session id stamped after its close go to {@link #AFTER_CLOSE} rather than vanish
 * (the job sends them to the dead-letter topic).
 */
public final class Sessionizer extends KeyedProcessFunction<String, PlayerHeartbeat, QoeSession> {
  /** Heartbeats stamped after their session had closed. */
  public static final OutputTag<PlayerHeartbeat> AFTER_CLOSE =
      new OutputTag<>("after-close", TypeInformation.of(PlayerHeartbeat.class));

  private final long inactivityMs;
  private final Map<String, Long> titleDurationsMs;

  private transient MapState<Long, List<PlayerHeartbeat>> pending;
  private transient ValueState<SessionQoe> session;
  private transient ValueState<Long> inactivityTimer;

  /** @param titleDurationsMs each title's duration, for completion (absent: 0) */
  public Sessionizer(long inactivityMs, Map<String, Long> titleDurationsMs) {
    this.inactivityMs = inactivityMs;
    this.titleDurationsMs = Map.copyOf(titleDurationsMs);
  }

  @Override
  public void open(OpenContext context) {
    pending = getRuntimeContext().getMapState(new MapStateDescriptor<>("pending", Types.LONG,
        TypeInformation.of(new TypeHint<List<PlayerHeartbeat>>() {})));
    session = getRuntimeContext().getState(new ValueStateDescriptor<>("session", TypeInformation.of(SessionQoe.class)));
    inactivityTimer = getRuntimeContext().getState(new ValueStateDescriptor<>("inactivity", Types.LONG));
  }

  @Override
  public void processElement(PlayerHeartbeat event, Context ctx, Collector<QoeSession> out) throws Exception {
    long t = event.getEventTime();
    List<PlayerHeartbeat> atTime = pending.get(t);
    List<PlayerHeartbeat> updated = atTime == null ? new ArrayList<>() : new ArrayList<>(atTime);
    updated.add(event);
    pending.put(t, updated);
    ctx.timerService().registerEventTimeTimer(t);
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<QoeSession> out) throws Exception {
    List<Long> due = new ArrayList<>();
    for (Long t : pending.keys()) {
      if (t <= timestamp) {
        due.add(t);
      }
    }
    Long inactivity = inactivityTimer.value();
    SessionQoe qoe = session.value();
    if (due.isEmpty()) {
      if (qoe != null && inactivity != null && inactivity == timestamp) {
        emit(qoe, "inactivity", ctx, out);
      }
      return;
    }
    due.sort(Long::compare);
    if (qoe == null) {
      qoe = new SessionQoe();
    }
    for (Long t : due) {
      for (PlayerHeartbeat e : pending.get(t)) {
        qoe.onHeartbeat(e);
      }
      pending.remove(t);
    }
    if (qoe.isEnded()) {
      emit(qoe, "ended", ctx, out);
      return;
    }
    session.update(qoe);
    if (inactivity != null) {
      ctx.timerService().deleteEventTimeTimer(inactivity);
    }
    long next = qoe.lastEventTime() + inactivityMs;
    ctx.timerService().registerEventTimeTimer(next);
    inactivityTimer.update(next);
  }

  /** Emits the row and clears every state of the session; events after its end belong to none. */
  private void emit(SessionQoe qoe, String reasonIfOpen, OnTimerContext ctx, Collector<QoeSession> out)
      throws Exception {
    QoeSession row = qoe.result(titleDurationsMs.getOrDefault(qoe.titleId(), 0L), reasonIfOpen);
    out.collect(row);
    Long inactivity = inactivityTimer.value();
    if (inactivity != null) {
      ctx.timerService().deleteEventTimeTimer(inactivity);
    }
    for (Long t : pending.keys()) {
      ctx.timerService().deleteEventTimeTimer(t);
      for (PlayerHeartbeat stray : pending.get(t)) {
        ctx.output(AFTER_CLOSE, stray);
      }
    }
    session.clear();
    inactivityTimer.clear();
    pending.clear();
  }
}
