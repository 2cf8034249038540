package io.caudal.qoe.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.caudal.qoe.core.SessionQoe;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/** What a checkpoint records of a state format, and how a job with a newer format restores it. */
class FormatSerializerTest {

  /** A format 1 long and a format 2 that adds a second long, read as 0 from format 1. */
  public static final class Pair implements StateFormat<long[]> {
    @Override
    public int current() {
      return 2;
    }

    @Override
    public void write(long[] value, DataOutput out) throws IOException {
      out.writeLong(value[0]);
      out.writeLong(value[1]);
    }

    @Override
    public long[] read(DataInput in, int format) throws IOException {
      return new long[] {in.readLong(), format >= 2 ? in.readLong() : 0};
    }

    @Override
    public long[] create() {
      return new long[2];
    }
  }

  /** The same class as it was at format 1. */
  public static final class PairAtFormatOne implements StateFormat<long[]> {
    @Override
    public int current() {
      return 1;
    }

    @Override
    public void write(long[] value, DataOutput out) throws IOException {
      out.writeLong(value[0]);
    }

    @Override
    public long[] read(DataInput in, int format) throws IOException {
      return new long[] {in.readLong(), 0};
    }

    @Override
    public long[] create() {
      return new long[2];
    }
  }

  private static <T> TypeSerializerSnapshot<T> throughBytes(TypeSerializerSnapshot<T> snapshot, String asClass)
      throws IOException {
    DataOutputSerializer out = new DataOutputSerializer(64);
    snapshot.writeSnapshot(out);
    byte[] bytes = out.getCopyOfBuffer();
    if (asClass != null) {
      // What the snapshot of the format-1 job said, read by the job whose class is now at format 2.
      DataOutputSerializer renamed = new DataOutputSerializer(64);
      DataInputDeserializer in = new DataInputDeserializer(bytes);
      in.readUTF();
      renamed.writeUTF(asClass);
      renamed.writeInt(in.readInt());
      bytes = renamed.getCopyOfBuffer();
    }
    FormatSerializer.Snapshot<T> read = new FormatSerializer.Snapshot<>();
    read.readSnapshot(snapshot.getCurrentVersion(), new DataInputDeserializer(bytes), FormatSerializerTest.class.getClassLoader());
    return read;
  }

  @Test
  void restoresAnOlderFormatByMigratingIt() throws IOException {
    FormatSerializer<long[]> before = new FormatSerializer<>(new PairAtFormatOne());
    DataOutputSerializer state = new DataOutputSerializer(64);
    before.serialize(new long[] {42, 0}, state);
    TypeSerializerSnapshot<long[]> written = throughBytes(before.snapshotConfiguration(), Pair.class.getName());
    FormatSerializer<long[]> now = new FormatSerializer<>(new Pair());

    TypeSerializerSchemaCompatibility<long[]> compatibility =
        now.snapshotConfiguration().resolveSchemaCompatibility(written);
    TypeSerializer<long[]> restore = written.restoreSerializer();

    assertThat(compatibility.isCompatibleAfterMigration()).isTrue();
    assertThat(restore.deserialize(new DataInputDeserializer(state.getCopyOfBuffer()))).containsExactly(42, 0);
  }

  @Test
  void theSameFormatIsCompatibleAsItIsAndANewerOneIsNot() throws IOException {
    FormatSerializer<long[]> now = new FormatSerializer<>(new Pair());
    TypeSerializerSnapshot<long[]> same = throughBytes(now.snapshotConfiguration(), null);
    // A job still at format 1 given a checkpoint of format 2 (a rollback): refused, not misread.
    FormatSerializer.Snapshot<long[]> jobAtFormatOne = new FormatSerializer.Snapshot<>(new Pair(), 1);

    assertThat(now.snapshotConfiguration().resolveSchemaCompatibility(same).isCompatibleAsIs()).isTrue();
    assertThat(jobAtFormatOne.resolveSchemaCompatibility(same).isIncompatible()).isTrue();
  }

  @Test
  void theSessionFormatFollowsSessionQoe() {
    assertThat(new SessionFormat().current()).isEqualTo(SessionQoe.STATE_FORMAT);
  }
}
