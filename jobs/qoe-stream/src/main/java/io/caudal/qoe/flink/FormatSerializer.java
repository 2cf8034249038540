package io.caudal.qoe.flink;

import java.io.IOException;
import java.util.Objects;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.util.InstantiationUtil;

/**
 * A Flink serializer for a state type written by its {@link StateFormat}, instead of Kryo: a
 * checkpoint records the format number its state was written in, and a job whose format has grown
 * restores it by reading the old format and writing the new one (Flink's state migration).
 *
 * @param <T> the state type
 */
public final class FormatSerializer<T> extends TypeSerializer<T> {
  private static final long serialVersionUID = 1L;

  private final StateFormat<T> format;
  /** The format this serializer reads: the current one, or an older one while restoring. */
  private final int reads;

  public FormatSerializer(StateFormat<T> format) {
    this(format, format.current());
  }

  private FormatSerializer(StateFormat<T> format, int reads) {
    this.format = format;
    this.reads = reads;
  }

  @Override
  public boolean isImmutableType() {
    return false;
  }

  @Override
  public TypeSerializer<T> duplicate() {
    return this; // no mutable fields
  }

  @Override
  public T createInstance() {
    return format.create();
  }

  @Override
  public T copy(T from) {
    // Heap state copies values for its snapshots: a round trip through the encoding is a deep copy.
    try {
      DataOutputSerializer out = new DataOutputSerializer(256);
      format.write(from, out);
      return format.read(new DataInputDeserializer(out.getSharedBuffer(), 0, out.length()), format.current());
    } catch (IOException e) {
      throw new IllegalStateException("cannot copy a " + format.getClass().getSimpleName() + " value", e);
    }
  }

  @Override
  public T copy(T from, T reuse) {
    return copy(from);
  }

  @Override
  public int getLength() {
    return -1;
  }

  @Override
  public void serialize(T record, DataOutputView target) throws IOException {
    format.write(record, target);
  }

  @Override
  public T deserialize(DataInputView source) throws IOException {
    return format.read(source, reads);
  }

  @Override
  public T deserialize(T reuse, DataInputView source) throws IOException {
    return deserialize(source);
  }

  @Override
  public void copy(DataInputView source, DataOutputView target) throws IOException {
    format.write(format.read(source, reads), target);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FormatSerializer<?> other && other.format.getClass() == format.getClass()
        && other.reads == reads;
  }

  @Override
  public int hashCode() {
    return Objects.hash(format.getClass(), reads);
  }

  @Override
  public TypeSerializerSnapshot<T> snapshotConfiguration() {
    return new Snapshot<>(format, format.current());
  }

  /**
   * What a checkpoint keeps of the serializer: the format's class and the format number written.
   */
  public static final class Snapshot<T> implements TypeSerializerSnapshot<T> {
    private static final int VERSION = 1;

    private StateFormat<T> format;
    private int written;

    /** For Flink, which reads a snapshot into an instance made with this constructor. */
    public Snapshot() {}

    Snapshot(StateFormat<T> format, int written) {
      this.format = format;
      this.written = written;
    }

    @Override
    public int getCurrentVersion() {
      return VERSION;
    }

    @Override
    public void writeSnapshot(DataOutputView out) throws IOException {
      out.writeUTF(format.getClass().getName());
      out.writeInt(written);
    }

    @Override
    public void readSnapshot(int readVersion, DataInputView in, ClassLoader classLoader) throws IOException {
      String name = in.readUTF();
      written = in.readInt();
      try {
        @SuppressWarnings("unchecked")
        StateFormat<T> restored = (StateFormat<T>) InstantiationUtil.instantiate(
            Class.forName(name, true, classLoader).asSubclass(StateFormat.class));
        format = restored;
      } catch (ClassNotFoundException | RuntimeException e) {
        throw new IOException("cannot make the state format " + name + " a checkpoint names", e);
      }
    }

    @Override
    public TypeSerializer<T> restoreSerializer() {
      return new FormatSerializer<>(format, written);
    }

    @Override
    public TypeSerializerSchemaCompatibility<T> resolveSchemaCompatibility(TypeSerializerSnapshot<T> old) {
      if (!(old instanceof Snapshot<T> before) || before.format.getClass() != format.getClass()
          || before.written > written) {
        return TypeSerializerSchemaCompatibility.incompatible();
      }
      return before.written == written ? TypeSerializerSchemaCompatibility.compatibleAsIs()
          : TypeSerializerSchemaCompatibility.compatibleAfterMigration();
    }
  }
}
