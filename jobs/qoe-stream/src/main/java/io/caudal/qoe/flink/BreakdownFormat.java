package io.caudal.qoe.flink;

import io.caudal.qoe.core.alert.Breakdown;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/** How the alerts' {@link Breakdown} state is written. */
public final class BreakdownFormat implements StateFormat<Breakdown> {

  @Override
  public int current() {
    return Breakdown.STATE_FORMAT;
  }

  @Override
  public void write(Breakdown value, DataOutput out) throws IOException {
    value.writeTo(out);
  }

  @Override
  public Breakdown read(DataInput in, int format) throws IOException {
    return Breakdown.readFrom(in, format);
  }

  @Override
  public Breakdown create() {
    return new Breakdown(0, "region", "");
  }
}
