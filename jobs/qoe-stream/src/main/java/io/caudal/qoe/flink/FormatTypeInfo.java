package io.caudal.qoe.flink;

import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/** The Flink type of a state or stream value written by a {@link StateFormat}: never Kryo. */
public final class FormatTypeInfo<T> extends TypeInformation<T> {
  private static final long serialVersionUID = 1L;

  private final Class<T> type;
  private final Class<? extends StateFormat<T>> format;

  public FormatTypeInfo(Class<T> type, Class<? extends StateFormat<T>> format) {
    this.type = type;
    this.format = format;
  }

  @Override
  public boolean isBasicType() {
    return false;
  }

  @Override
  public boolean isTupleType() {
    return false;
  }

  @Override
  public int getArity() {
    return 1;
  }

  @Override
  public int getTotalFields() {
    return 1;
  }

  @Override
  public Class<T> getTypeClass() {
    return type;
  }

  @Override
  public boolean isKeyType() {
    return false;
  }

  @Override
  public TypeSerializer<T> createSerializer(SerializerConfig config) {
    try {
      return new FormatSerializer<>(format.getDeclaredConstructor().newInstance());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot make " + format.getName(), e);
    }
  }

  @Override
  public String toString() {
    return type.getSimpleName() + " (" + format.getSimpleName() + ")";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FormatTypeInfo<?> other && other.type == type && other.format == format;
  }

  @Override
  public int hashCode() {
    return 31 * type.hashCode() + format.hashCode();
  }

  @Override
  public boolean canEqual(Object o) {
    return o instanceof FormatTypeInfo;
  }
}
