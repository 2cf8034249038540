package io.caudal.qoe.flink;

import io.caudal.qoe.core.BitrateCapPolicy;
import io.caudal.qoe.core.SessionQoe;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * How a session's kept state ({@link Sessionizer.Kept}) is written: its QoE so far
 * ({@link SessionQoe#writeTo}, whose format this one follows), its last cap and its timers.
 */
public final class SessionFormat implements StateFormat<Sessionizer.Kept> {

  @Override
  public int current() {
    return SessionQoe.STATE_FORMAT;
  }

  @Override
  public void write(Sessionizer.Kept kept, DataOutput out) throws IOException {
    out.writeBoolean(kept.qoe != null);
    if (kept.qoe != null) {
      kept.qoe.writeTo(out);
    }
    out.writeBoolean(kept.cap != null);
    if (kept.cap != null) {
      out.writeInt(kept.cap.capKbps());
      out.writeUTF(kept.cap.reason());
      out.writeLong(kept.cap.time());
    }
    writeTimer(out, kept.minuteTimer);
    writeTimer(out, kept.inactivityTimer);
  }

  @Override
  public Sessionizer.Kept read(DataInput in, int format) throws IOException {
    Sessionizer.Kept kept = new Sessionizer.Kept();
    kept.qoe = in.readBoolean() ? SessionQoe.readFrom(in, format) : null;
    kept.cap = in.readBoolean() ? new BitrateCapPolicy.Decision(in.readInt(), in.readUTF(), in.readLong()) : null;
    kept.minuteTimer = readTimer(in);
    kept.inactivityTimer = readTimer(in);
    return kept;
  }

  @Override
  public Sessionizer.Kept create() {
    return new Sessionizer.Kept();
  }

  private static void writeTimer(DataOutput out, Long timer) throws IOException {
    out.writeBoolean(timer != null);
    if (timer != null) {
      out.writeLong(timer);
    }
  }

  private static Long readTimer(DataInput in) throws IOException {
    return in.readBoolean() ? in.readLong() : null;
  }
}
