package io.caudal.qoe.flink;

import io.caudal.qoe.core.DecisionVersion;
import io.caudal.qoe.core.EventValidator;
import io.caudal.qoe.core.MinuteContribution;
import io.caudal.qoe.core.RegionActivity;
import io.caudal.qoe.core.SteeringPolicy;
import io.caudal.schemas.DeadLetter;
import io.caudal.schemas.JsonAvroCodec;
import io.caudal.schemas.ServerHealth;
import io.caudal.schemas.SteeringDecision;
import io.caudal.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * One region's steering decisions, from its servers' health reports and its sessions' minutes.
 *
 * <p>Health reports are buffered until the watermark passes them and applied in event-time order,
 * and a decision reads only the session minutes that had ended by its time, so a replay decides
 * what the live run decided. A decision goes out every {@link #TICK_MS} of event
 * time while the region has servers that reported recently (a server that falls silent is marked
 * unhealthy by the next tick), and at once, stamped with the report's time, when a report crosses
 * a threshold ({@link SteeringPolicy#crossesThreshold}). A health report already behind the
 * watermark when it arrives is late and becomes a dead letter; so does one stamped further ahead
 * of its region's time than a report stays fresh ({@code ahead_of_region}): one server's clock must
 * not make the others of its region look silent.
 *
 * <p>Each decision carries a version ({@link DecisionVersion}) from its event time and its place
 * among the region's decisions of that millisecond, so consumers of the at-least-once topic keep
 * the newest.
 */
public final class RegionSteering
    extends KeyedCoProcessFunction<String, ServerHealth, MinuteContribution, SteeringDecision> {
  public static final OutputTag<DeadLetter> DEAD_LETTERS =
      new OutputTag<>("steering-dead-letters", TypeInformation.of(DeadLetter.class));

  /** A region's pathway priority is recomputed every 10 s of event time. */
  public static final long TICK_MS = 10_000;

  private final SteeringPolicy policy;

  private transient MapState<Long, List<ServerHealth>> pendingHealth;
  private transient MapState<String, ServerHealth> latestHealth;
  private transient MapState<Long, RegionActivity> minutes;
  private transient ValueState<Long> nextTick;

  public RegionSteering(SteeringPolicy policy) {
    this.policy = policy;
  }

  @Override
  public void open(OpenContext context) {
    pendingHealth = getRuntimeContext().getMapState(new MapStateDescriptor<>("health", Types.LONG,
        new ListTypeInfo<>(TypeInformation.of(ServerHealth.class))));
    latestHealth = getRuntimeContext().getMapState(new MapStateDescriptor<>("latest", Types.STRING,
        TypeInformation.of(ServerHealth.class)));
    minutes = getRuntimeContext().getMapState(new MapStateDescriptor<>("minutes", Types.LONG,
        new FormatTypeInfo<>(RegionActivity.class, RegionActivityFormat.class)));
    nextTick = getRuntimeContext().getState(new ValueStateDescriptor<>("tick", Types.LONG));
  }

  @Override
  public void processElement1(ServerHealth health, Context ctx, Collector<SteeringDecision> out) throws Exception {
    long watermark = ctx.timerService().currentWatermark();
    if (health.getEventTime() <= watermark) {
      ctx.output(DEAD_LETTERS, EventValidator.late(Topics.SERVER_HEALTH.name(),
          health.getServerId().getBytes(StandardCharsets.UTF_8), JsonAvroCodec.toBytes(health),
          ctx.timerService().currentProcessingTime(), health.getEventTime(), watermark));
      return;
    }
    long regionTime = regionTime(watermark);
    if (regionTime != Long.MIN_VALUE && health.getEventTime() - regionTime > policy.config().healthFreshnessMs()) {
      // Trusted, it would make every other server of the region look silent.
      ctx.output(DEAD_LETTERS, EventValidator.deadLetter(Topics.SERVER_HEALTH.name(),
          health.getServerId().getBytes(StandardCharsets.UTF_8), JsonAvroCodec.toBytes(health),
          ctx.timerService().currentProcessingTime(), "ahead_of_region", "eventTime " + health.getEventTime()
              + " is " + (health.getEventTime() - regionTime) + " ms ahead of region " + ctx.getCurrentKey()
              + "'s time " + regionTime + ", more than the " + policy.config().healthFreshnessMs()
              + " ms a report stays fresh"));
      return;
    }
    EventTimeBuffer.addNew(pendingHealth, health.getEventTime(), health, ServerHealth::getServerId);
    ctx.timerService().registerEventTimeTimer(health.getEventTime());
  }

  @Override
  public void processElement2(MinuteContribution minute, Context ctx, Collector<SteeringDecision> out)
      throws Exception {
    // Added as they come: a decision reads only the minutes that had ended by its time, and
    // those were all handed in before the watermark passed it, so arrival order does not matter.
    RegionActivity activity = minutes.get(minute.minute());
    if (activity == null) {
      activity = new RegionActivity();
    }
    activity.add(minute);
    minutes.put(minute.minute(), activity);
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<SteeringDecision> out) throws Exception {
    // Each millisecond's reports are all applied in this one call, in input order, and the tick
    // comes last: the decisions are numbered in that order (their versions), the same after a restart.
    long decidedAt = Long.MIN_VALUE;
    int ordinal = 0;
    for (Map.Entry<Long, List<ServerHealth>> atTime : EventTimeBuffer.takeDue(pendingHealth, timestamp)) {
      for (ServerHealth report : atTime.getValue()) {
        ServerHealth previous = latestHealth.get(report.getServerId());
        latestHealth.put(report.getServerId(), report);
        if (policy.crossesThreshold(previous, report)) {
          ordinal = report.getEventTime() == decidedAt ? ordinal + 1 : 0;
          decidedAt = report.getEventTime();
          out.collect(decide(ctx.getCurrentKey(), decidedAt, ordinal));
        }
      }
    }
    Long tick = nextTick.value();
    if (tick != null && tick == timestamp) {
      ordinal = timestamp == decidedAt ? ordinal + 1 : 0;
      out.collect(decide(ctx.getCurrentKey(), timestamp, ordinal));
      tick = null;
      nextTick.clear();
    }
    if (tick == null && anyServerRecent(timestamp)) {
      long next = timestamp / TICK_MS * TICK_MS + TICK_MS;
      ctx.timerService().registerEventTimeTimer(next);
      nextTick.update(next);
    }
  }

  private SteeringDecision decide(String region, long now, int ordinal) throws Exception {
    Map<Long, RegionActivity> recent = new HashMap<>();
    List<Long> expired = new ArrayList<>();
    for (Map.Entry<Long, RegionActivity> minute : minutes.entries()) {
      if (minute.getKey() < now - RegionActivity.WINDOW_MS) {
        expired.add(minute.getKey()); // decisions come in event-time order: no later one needs it
      } else {
        recent.put(minute.getKey(), minute.getValue());
      }
    }
    for (Long minute : expired) {
      minutes.remove(minute);
    }
    List<ServerHealth> servers = new ArrayList<>();
    latestHealth.values().forEach(servers::add);
    SteeringDecision decision = policy.decide(region, servers, RegionActivity.qoeByServer(recent, now),
        RegionActivity.demandByTitle(recent, now), now);
    decision.setVersion(DecisionVersion.of(now, ordinal));
    return decision;
  }

  /**
   * The region's time: the newest report it holds (applied or waiting), or the watermark when
   * that is later; {@code Long.MIN_VALUE} before the region's first report and the first watermark.
   */
  private long regionTime(long watermark) throws Exception {
    long time = watermark;
    for (ServerHealth h : latestHealth.values()) {
      time = Math.max(time, h.getEventTime());
    }
    for (Long t : pendingHealth.keys()) {
      time = Math.max(time, t);
    }
    return time;
  }

  /**
   * Whether to keep ticking: some server reported within the freshness window, plus one tick so
   * the decision that marks the last one unhealthy still goes out.
   */
  private boolean anyServerRecent(long now) throws Exception {
    long horizon = now - policy.config().healthFreshnessMs() - TICK_MS;
    for (ServerHealth h : latestHealth.values()) {
      if (h.getEventTime() >= horizon) {
        return true;
      }
    }
    return false;
  }
}
