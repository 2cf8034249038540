package io.caudal.qoe.flink;

import io.caudal.qoe.core.alert.AnomalyDetector;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/** How the alerts' {@link AnomalyDetector} state is written. */
public final class AnomalyDetectorFormat implements StateFormat<AnomalyDetector> {

  @Override
  public int current() {
    return AnomalyDetector.STATE_FORMAT;
  }

  @Override
  public void write(AnomalyDetector value, DataOutput out) throws IOException {
    value.writeTo(out);
  }

  @Override
  public AnomalyDetector read(DataInput in, int format) throws IOException {
    return AnomalyDetector.readFrom(in, format, AnomalyDetector.Settings.defaults());
  }

  @Override
  public AnomalyDetector create() {
    return new AnomalyDetector(AnomalyDetector.Settings.defaults());
  }
}
