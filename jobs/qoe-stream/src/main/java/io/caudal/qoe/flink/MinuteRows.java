package io.caudal.qoe.flink;

import io.caudal.qoe.core.MinuteAggregate;
import io.caudal.qoe.core.MinuteContribution;
import io.caudal.schemas.QoeMinute;
import java.time.Duration;
import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/** Sessions' minutes → one {@code qoe_minute} row per minute, dimension and key. */
final class MinuteRows {
  private static final TypeInformation<MinuteAggregate> SUMS =
      new FormatTypeInfo<>(MinuteAggregate.class, MinuteAggregateFormat.class);

  private MinuteRows() {}

  /** One session's minute as counted in one slice. */
  public record Slice(String dimension, String key, MinuteAggregate.Contribution contribution) {
    String id() {
      return dimension + "=" + key;
    }
  }

  static DataStream<QoeMinute> of(DataStream<MinuteContribution> minutes) {
    return perMinute(minutes
        .flatMap((MinuteContribution m, Collector<Slice> out) -> {
          for (String dimension : MinuteContribution.DIMENSIONS) {
            out.collect(new Slice(dimension, m.keyOf(dimension), m.contribution()));
          }
        })
        .returns(Slice.class)
        .name("slice minutes"), "qoe per minute", "qoe-per-minute");
  }

  /**
   * The whole fleet's minute as a row of dimension {@code fleet}, key {@code all}: what threshold
   * rules on the fleet judge (not written to qoe_minute, whose slices add up to it).
   */
  static DataStream<QoeMinute> fleet(DataStream<MinuteContribution> minutes) {
    return perMinute(minutes
        .map(m -> new Slice("fleet", "all", m.contribution()))
        .returns(Slice.class)
        .name("fleet minutes"), "fleet per minute", "fleet-per-minute");
  }

  private static DataStream<QoeMinute> perMinute(DataStream<Slice> slices, String name, String uid) {
    return slices
        .keyBy(Slice::id)
        // Sessions hand in a minute's share at its end, so the window closes with the watermark.
        .window(TumblingEventTimeWindows.of(Duration.ofMinutes(1)))
        .aggregate(new Sum(), new ToRow(), SUMS, SUMS, TypeInformation.of(QoeMinute.class))
        .name(name).uid(uid);
  }

  private static final class Sum implements AggregateFunction<Slice, MinuteAggregate, MinuteAggregate> {
    @Override
    public MinuteAggregate createAccumulator() {
      return new MinuteAggregate();
    }

    @Override
    public MinuteAggregate add(Slice slice, MinuteAggregate accumulator) {
      accumulator.add(slice.contribution());
      return accumulator;
    }

    @Override
    public MinuteAggregate getResult(MinuteAggregate accumulator) {
      return accumulator;
    }

    @Override
    public MinuteAggregate merge(MinuteAggregate a, MinuteAggregate b) {
      a.merge(b);
      return a;
    }
  }

  private static final class ToRow extends ProcessWindowFunction<MinuteAggregate, QoeMinute, String, TimeWindow> {
    @Override
    public void process(String id, Context ctx, Iterable<MinuteAggregate> sums, Collector<QoeMinute> out) {
      int split = id.indexOf('=');
      for (MinuteAggregate sum : sums) {
        out.collect(sum.toRow(ctx.window().getStart(), id.substring(0, split), id.substring(split + 1)));
      }
    }
  }
}
