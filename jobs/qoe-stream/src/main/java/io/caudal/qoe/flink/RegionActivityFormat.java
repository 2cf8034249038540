package io.caudal.qoe.flink;

import io.caudal.qoe.core.MinuteAggregate;
import io.caudal.qoe.core.RegionActivity;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * How one minute of a region's activity (steering's state) is written. Format 1 is
 * {@link RegionActivity} format 1 with {@link MinuteAggregate} format 1; format 2 is
 * {@link RegionActivity} format 2 (the sessions started per server) with {@link MinuteAggregate}
 * format 2 (the experience score). A change to either is a new format here.
 */
public final class RegionActivityFormat implements StateFormat<RegionActivity> {

  @Override
  public int current() {
    return 2;
  }

  @Override
  public void write(RegionActivity value, DataOutput out) throws IOException {
    value.writeTo(out);
  }

  @Override
  public RegionActivity read(DataInput in, int format) throws IOException {
    if (format != 1 && format != 2) {
      throw new IOException("region activity format " + format + " is not 1 or 2");
    }
    // Both parts moved to their format 2 together, so the region's format names both.
    return RegionActivity.readFrom(in, format, format);
  }

  @Override
  public RegionActivity create() {
    return new RegionActivity();
  }
}
