package io.caudal.qoe.flink;

import io.caudal.qoe.core.MinuteAggregate;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/** How a minute's running sums ({@link MinuteAggregate}, the qoe_minute windows' state) are written. */
public final class MinuteAggregateFormat implements StateFormat<MinuteAggregate> {

  @Override
  public int current() {
    return MinuteAggregate.STATE_FORMAT;
  }

  @Override
  public void write(MinuteAggregate value, DataOutput out) throws IOException {
    value.writeTo(out);
  }

  @Override
  public MinuteAggregate read(DataInput in, int format) throws IOException {
    return MinuteAggregate.readFrom(in, format);
  }

  @Override
  public MinuteAggregate create() {
    return new MinuteAggregate();
  }
}
