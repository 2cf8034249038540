package io.caudal.qoe.flink;

import io.caudal.qoe.core.alert.ThresholdEvaluator;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/** How the alerts' {@link ThresholdEvaluator} state is written. */
public final class ThresholdEvaluatorFormat implements StateFormat<ThresholdEvaluator> {

  @Override
  public int current() {
    return ThresholdEvaluator.STATE_FORMAT;
  }

  @Override
  public void write(ThresholdEvaluator value, DataOutput out) throws IOException {
    value.writeTo(out);
  }

  @Override
  public ThresholdEvaluator read(DataInput in, int format) throws IOException {
    return ThresholdEvaluator.readFrom(in, format);
  }

  @Override
  public ThresholdEvaluator create() {
    return new ThresholdEvaluator();
  }
}
