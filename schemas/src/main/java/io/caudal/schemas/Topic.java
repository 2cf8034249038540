package io.caudal.schemas;

import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * A Kafka topic of Caudal: its name, the value field its records are keyed by, the class of its
 * values (single-object encoded Avro) and how it is laid out. Constants live in {@link Topics}.
 *
 * @param name the Kafka topic name, e.g. {@code player.heartbeat}
 * @param keyField the value field whose content is the record key: a string field (sent as UTF-8)
 *     or a nullable bytes field (sent as is)
 * @param valueClass the generated class of the values
 * @param layout partitions and retention it is created with
 * @param <V> the value type
 */
public record Topic<V extends SpecificRecord>(String name, String keyField, Class<V> valueClass, TopicLayout layout)
    implements Serializable {

  public Topic {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(keyField, "keyField");
    Objects.requireNonNull(valueClass, "valueClass");
    Objects.requireNonNull(layout, "layout");
    Schema.Field field = schemaOf(valueClass).getField(keyField);
    if (field == null) {
      throw new IllegalArgumentException(
          "topic " + name + ": " + valueClass.getSimpleName() + " has no key field " + keyField);
    }
  }

  /** The Avro schema of the values. */
  public Schema valueSchema() {
    return schemaOf(valueClass);
  }

  /** The Kafka key of a value: its key field as UTF-8, or the raw bytes; null when that is null. */
  public byte[] keyOf(V value) {
    Object key = value.get(value.getSchema().getField(keyField).pos());
    if (key == null) {
      return null;
    }
    if (key instanceof ByteBuffer buffer) {
      ByteBuffer copy = buffer.duplicate();
      byte[] bytes = new byte[copy.remaining()];
      copy.get(bytes);
      return bytes;
    }
    return key.toString().getBytes(StandardCharsets.UTF_8);
  }

  static Schema schemaOf(Class<? extends SpecificRecord> type) {
    return SpecificData.getForClass(type).getSchema(type);
  }
}
