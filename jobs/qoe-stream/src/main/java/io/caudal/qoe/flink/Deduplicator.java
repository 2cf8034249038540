package io.caudal.qoe.flink;

import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Lets each event id through once: producers resend after a timeout, and a resent heartbeat must
 * count once. Keyed by event id; the memory of an id expires after {@code remember}, long enough
 * to outlast any resend but bounded so state does not grow forever.
 *
 * @param <T> the event type
 */
public final class Deduplicator<T> extends KeyedProcessFunction<String, T, T> {
  /** Resends come within seconds; ten minutes covers a client's whole retry schedule. */
  public static final Duration DEFAULT_REMEMBER = Duration.ofMinutes(10);

  private final Duration remember;
  private transient ValueState<Boolean> seen;

  public Deduplicator(Duration remember) {
    this.remember = remember;
  }

  @Override
  public void open(OpenContext context) {
    ValueStateDescriptor<Boolean> descriptor = new ValueStateDescriptor<>("seen", Types.BOOLEAN);
    descriptor.enableTimeToLive(StateTtlConfig.newBuilder(remember)
        .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
        .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
        .build());
    seen = getRuntimeContext().getState(descriptor);
  }

  @Override
  public void processElement(T event, Context ctx, Collector<T> out) throws Exception {
    if (seen.value() == null) {
      seen.update(true);
      out.collect(event);
    }
  }
}
