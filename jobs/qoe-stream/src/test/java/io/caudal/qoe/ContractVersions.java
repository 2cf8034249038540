package io.caudal.qoe;

import io.caudal.schemas.JsonAvroCodec;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.specific.SpecificRecord;

/** Versions of a contract the job was not built with, and records written with them, for the schema-evolution tests. */
public final class ContractVersions {
  /** An optional string field's type and default, as a field's JSON. */
  public static final String OPTIONAL_STRING = "[\"null\",\"string\"],\"default\":null";

  private ContractVersions() {}

  /** {@code current} with one field more, {@code typeAndDefault} being the field's JSON after {@code "type":}. */
  public static Schema withField(Schema current, String field, String typeAndDefault) {
    String json = current.toString();
    int end = json.lastIndexOf("]}");
    return new Schema.Parser().parse(json.substring(0, end) + ",{\"name\":\"" + field + "\",\"type\":" + typeAndDefault
        + "}" + json.substring(end));
  }

  /**
   * The single-object bytes of {@code record} written with {@code schema}: the fields {@code schema}
   * has, and {@code extraValue} in any it has that the record does not.
   */
  public static byte[] writtenWith(SpecificRecord record, Schema schema, Object extraValue) {
    GenericData.Record copy = new GenericData.Record(schema);
    for (Schema.Field field : schema.getFields()) {
      Schema.Field from = record.getSchema().getField(field.name());
      Object value = from == null ? extraValue : record.get(from.pos());
      copy.put(field.pos(), value instanceof Enum<?> symbol
          ? new GenericData.EnumSymbol(field.schema(), symbol.name()) : value);
    }
    return JsonAvroCodec.toBytes(copy);
  }
}
