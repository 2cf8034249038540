package io.caudal.edge.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import io.caudal.schemas.JsonAvroCodec;
import java.io.IOException;
import org.apache.avro.generic.IndexedRecord;

/** How edge writes JSON answers: Jackson, with Caudal's Avro records written as {@link JsonAvroCodec} writes them. */
public final class Json {

  private static final JsonMapper MAPPER = JsonMapper.builder()
      .addModule(new SimpleModule("caudal-records").addSerializer(IndexedRecord.class, new AvroRecordSerializer()))
      .build();

  private Json() {}

  /** {@code value} as UTF-8 JSON. */
  public static byte[] bytes(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
    }
  }

  /**
   * An Avro record by its schema's field names and order, as the rest of Caudal reads and writes it,
   * rather than by Jackson's view of the generated class's getters.
   */
  private static final class AvroRecordSerializer extends StdSerializer<IndexedRecord> {

    AvroRecordSerializer() {
      super(IndexedRecord.class);
    }

    @Override
    public void serialize(IndexedRecord record, JsonGenerator json, SerializerProvider provider) throws IOException {
      json.writeRawValue(JsonAvroCodec.toJson(record));
    }
  }
}
