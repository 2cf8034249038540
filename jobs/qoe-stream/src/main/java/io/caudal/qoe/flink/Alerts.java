package io.caudal.qoe.flink;

import io.caudal.qoe.core.MinuteContribution;
import io.caudal.qoe.core.alert.AnomalyDetector;
import io.caudal.qoe.core.alert.Breakdown;
import io.caudal.qoe.core.alert.ThresholdEvaluator;
import io.caudal.schemas.Alert;
import io.caudal.schemas.AlertRule;
import io.caudal.schemas.QoeMinute;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.ListTypeInfo;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * The alerts' part of the graph:
 *
 * <pre>
 * session minutes → by region, 1-min windows → each region's breakdown (slices and pairs)
 *   → all regions of a minute → AnomalyDetector (baselines, root cause, lifecycle) ─┐
 * qoe_minute rows + the fleet's row → by slice, with the rules broadcast → ThresholdEvaluator ─┴→ alerts
 * </pre>
 */
public final class Alerts {
  static final TypeInformation<Breakdown> BREAKDOWN = new FormatTypeInfo<>(Breakdown.class, BreakdownFormat.class);
  static final TypeInformation<List<AlertRule>> RULES = new ListTypeInfo<>(TypeInformation.of(AlertRule.class));
  static final MapStateDescriptor<String, AlertRule> RULES_STATE =
      new MapStateDescriptor<>("alert-rules", Types.STRING, TypeInformation.of(AlertRule.class));
  private static final long MINUTE_MS = 60_000;

  private Alerts() {}

  /** Every alert change, anomalies and thresholds. */
  static DataStream<Alert> of(DataStream<MinuteContribution> minutes, DataStream<QoeMinute> rows,
      DataStream<List<AlertRule>> rules, AnomalyDetector.Settings anomalies) {
    DataStream<Breakdown> breakdowns = minutes
        .keyBy(minute -> minute.keyOf("region"))
        .window(TumblingEventTimeWindows.of(Duration.ofMinutes(1)))
        .aggregate(new Add(), new StampBreakdown(), BREAKDOWN, BREAKDOWN, BREAKDOWN)
        .name("region breakdowns").uid("alert-breakdowns");
    DataStream<Alert> anomalyAlerts = breakdowns
        // The fleet's baselines and root causes need every region's minute: one detector.
        .keyBy(b -> "fleet")
        .process(new AnomalyAlerts(anomalies))
        .name("anomaly alerts").uid("anomaly-alerts");
    BroadcastStream<List<AlertRule>> ruleSets = rules.broadcast(RULES_STATE);
    DataStream<Alert> thresholdAlerts = rows
        .keyBy(row -> row.getDimension() + "=" + row.getKey())
        .connect(ruleSets)
        .process(new ThresholdAlerts())
        .name("threshold alerts").uid("threshold-alerts");
    return anomalyAlerts.union(thresholdAlerts);
  }

  private static final class Add implements AggregateFunction<MinuteContribution, Breakdown, Breakdown> {
    @Override
    public Breakdown createAccumulator() {
      return new Breakdown(0, "region", "");
    }

    @Override
    public Breakdown add(MinuteContribution value, Breakdown accumulator) {
      accumulator.add(value);
      return accumulator;
    }

    @Override
    public Breakdown getResult(Breakdown accumulator) {
      return accumulator;
    }

    @Override
    public Breakdown merge(Breakdown a, Breakdown b) {
      a.merge(b);
      return a;
    }
  }

  private static final class StampBreakdown extends ProcessWindowFunction<Breakdown, Breakdown, String, TimeWindow> {
    @Override
    public void process(String region, Context ctx, Iterable<Breakdown> sums, Collector<Breakdown> out) {
      Breakdown stamped = Breakdown.ofRegion(ctx.window().getStart(), region);
      sums.forEach(stamped::merge);
      out.collect(stamped);
    }
  }

  /**
   * Holds each minute's region breakdowns until the watermark passes the minute's end (every
   * region's window has fired by then), and judges the minute.
   */
  static final class AnomalyAlerts extends KeyedProcessFunction<String, Breakdown, Alert> {
    private final AnomalyDetector.Settings settings;
    private transient MapState<Long, List<Breakdown>> pending;
    private transient ValueState<AnomalyDetector> detector;

    AnomalyAlerts(AnomalyDetector.Settings settings) {
      this.settings = settings;
    }

    @Override
    public void open(OpenContext context) {
      pending = getRuntimeContext().getMapState(new MapStateDescriptor<>("pending-breakdowns", Types.LONG,
          new ListTypeInfo<>(BREAKDOWN)));
      detector = getRuntimeContext().getState(new ValueStateDescriptor<>("anomaly-detector",
          new FormatTypeInfo<>(AnomalyDetector.class, AnomalyDetectorFormat.class)));
    }

    @Override
    public void processElement(Breakdown breakdown, Context ctx, Collector<Alert> out) throws Exception {
      List<Breakdown> minute = pending.get(breakdown.minute());
      if (minute == null) {
        minute = new ArrayList<>();
        ctx.timerService().registerEventTimeTimer(breakdown.minute() + MINUTE_MS - 1);
      }
      minute.add(breakdown);
      pending.put(breakdown.minute(), minute);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Alert> out) throws Exception {
      long minute = timestamp + 1 - MINUTE_MS;
      List<Breakdown> regions = pending.get(minute);
      pending.remove(minute);
      if (regions == null) {
        return;
      }
      // The same region may come in more than one pane (a late firing): add them up.
      Map<String, Breakdown> byRegion = new HashMap<>();
      for (Breakdown b : regions) {
        byRegion.merge(b.key(), b, (a, more) -> {
          a.merge(more);
          return a;
        });
      }
      AnomalyDetector d = detector.value();
      d = d == null ? new AnomalyDetector(settings) : d.use(settings);
      d.evaluate(minute, byRegion.values()).forEach(out::collect);
      detector.update(d);
    }
  }

  /** One slice's rows against the rules in force (the broadcast state, the last set read). */
  static final class ThresholdAlerts extends KeyedBroadcastProcessFunction<String, QoeMinute, List<AlertRule>, Alert> {
    private transient ValueState<ThresholdEvaluator> evaluator;

    @Override
    public void open(OpenContext context) {
      evaluator = getRuntimeContext().getState(new ValueStateDescriptor<>("threshold-evaluator",
          new FormatTypeInfo<>(ThresholdEvaluator.class, ThresholdEvaluatorFormat.class)));
    }

    @Override
    public void processElement(QoeMinute row, ReadOnlyContext ctx, Collector<Alert> out) throws Exception {
      Map<String, AlertRule> rules = new HashMap<>();
      ReadOnlyBroadcastState<String, AlertRule> state = ctx.getBroadcastState(RULES_STATE);
      for (Map.Entry<String, AlertRule> rule : state.immutableEntries()) {
        rules.put(rule.getKey(), rule.getValue());
      }
      ThresholdEvaluator e = evaluator.value();
      if (e == null) {
        if (rules.isEmpty()) {
          return; // nothing to judge and nothing open: keep no state for the slice
        }
        e = new ThresholdEvaluator();
      }
      e.evaluate(row, rules).forEach(out::collect);
      evaluator.update(e);
    }

    @Override
    public void processBroadcastElement(List<AlertRule> rules, Context ctx, Collector<Alert> out) throws Exception {
      BroadcastState<String, AlertRule> state = ctx.getBroadcastState(RULES_STATE);
      state.clear();
      for (AlertRule rule : rules) {
        state.put(rule.getRuleId(), rule);
      }
    }
  }
}
