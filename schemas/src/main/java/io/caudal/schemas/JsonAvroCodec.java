package io.caudal.schemas;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.UnresolvedUnionException;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericEnumSymbol;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.message.SchemaStore;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;

/**
 * Reads and writes every Caudal record as plain JSON and as Avro single-object encoding, driven by
 * the record's Avro schema.
 *
 * <p>JSON uses the schema's field names: an optional field ({@code ["null", X]}) is its value, or
 * null, or absent; an enum is its symbol; bytes are base64; a field with a default may be left out.
 * Anything else is refused with an {@link InvalidRecordException} naming the field: a missing
 * required field, a value of the wrong type, an unknown enum symbol, an unknown field, malformed
 * JSON.
 *
 * <p>Bytes are <a href="https://avro.apache.org/docs/1.12.0/specification/#single-object-encoding">
 * single-object encoded</a>: {@code C3 01}, the schema's CRC-64-AVRO fingerprint (little endian),
 * then the Avro binary encoding. The fingerprint names the writer's schema: the current schema of
 * a value class of {@link Topics} or a row class of {@link Tables}, or any released version of one
 * ({@link SchemaHistory}); reading resolves it to the reader's schema (Avro schema resolution), so
 * bytes of an older or a newer compatible version are read. Only a fingerprint that is none of
 * these is refused, with an {@link UnknownSchemaException}.
 *
 * <p>All methods are thread-safe.
 */
public final class JsonAvroCodec {

  private static final byte[] MAGIC = {(byte) 0xC3, (byte) 0x01};
  private static final int HEADER_LENGTH = MAGIC.length + Long.BYTES;
  private static final int SHOWN_VALUE_LENGTH = 40;

  private static final JsonMapper JSON =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** Schemas cache their hash code and compare by identity first, so a lookup is cheap. */
  private static final Map<Schema, Long> FINGERPRINTS = new ConcurrentHashMap<>();
  /** Writer schemas by fingerprint: every contract's current schema and every released version. */
  private static final SchemaStore.Cache WRITERS = new SchemaStore.Cache();
  /** The class each known fingerprint is a version of. */
  private static final Map<Long, Class<? extends SpecificRecord>> KNOWN = knownClasses();
  /** Versions released after this build, made known by {@link #learn}. */
  private static final Map<Long, Class<? extends SpecificRecord>> LEARNT = new ConcurrentHashMap<>();

  private JsonAvroCodec() {}

  // ---- JSON -------------------------------------------------------------------------------------

  /** Reads a JSON document into the generated class {@code type}. */
  public static <T extends SpecificRecord> T fromJson(String json, Class<T> type) {
    Schema schema = Topic.schemaOf(type);
    return type.cast(read(parse(json, schema), schema, SpecificData.getForClass(type), schema, ""));
  }

  /** Reads a JSON document into a generic record of {@code schema}. */
  public static GenericRecord fromJson(String json, Schema schema) {
    requireRecordSchema(schema);
    return (GenericRecord) read(parse(json, schema), schema, GenericData.get(), schema, "");
  }

  /** Writes a record (specific or generic) as a JSON object, fields in schema order. */
  public static String toJson(IndexedRecord record) {
    Schema schema = record.getSchema();
    JsonNode tree = write(record, schema, modelOf(record), schema, "");
    try {
      return JSON.writeValueAsString(tree);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot print a JSON tree", e);
    }
  }

  // ---- single-object bytes ----------------------------------------------------------------------

  /** Writes a record (specific or generic) in Avro single-object encoding. */
  public static byte[] toBytes(IndexedRecord record) {
    Schema schema = record.getSchema();
    GenericData model = modelOf(record);
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    out.writeBytes(MAGIC);
    out.writeBytes(ByteBuffer.allocate(Long.BYTES)
        .order(ByteOrder.LITTLE_ENDIAN)
        .putLong(fingerprint(schema))
        .array());
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
    @SuppressWarnings("unchecked")
    DatumWriter<Object> writer = (DatumWriter<Object>) model.createDatumWriter(schema);
    try {
      writer.write(record, encoder);
      encoder.flush();
    } catch (IOException e) {
      throw new IllegalStateException("cannot write to memory", e);
    } catch (NullPointerException | ClassCastException | AvroRuntimeException e) {
      // Walk the record again to name the offending field; the happy path pays nothing for it.
      write(record, schema, model, schema, "");
      throw new InvalidRecordException("", schema.getName() + ": cannot encode: " + e.getMessage(), e);
    }
    return out.toByteArray();
  }

  /**
   * Reads single-object encoded bytes that must hold a {@code type}, written with its current
   * schema or any released version of it.
   */
  public static <T extends SpecificRecord> T fromBytes(byte[] bytes, Class<T> type) {
    Schema schema = Topic.schemaOf(type);
    long found = readFingerprint(bytes);
    Schema writer = found == fingerprint(schema) ? schema : WRITERS.findByFingerprint(found);
    if (writer == null) {
      throw new UnknownSchemaException(found, schema.getName() + ": bytes hold unknown schema fingerprint "
          + hex(found) + ", not a released version of " + schema.getName());
    }
    Class<? extends SpecificRecord> actual = classOf(found);
    if (actual != type) {
      throw new InvalidRecordException("", schema.getName() + ": bytes hold a " + actual.getSimpleName()
          + ", not a " + schema.getName());
    }
    return type.cast(decode(bytes, writer, schema, SpecificData.getForClass(type)));
  }

  /**
   * Reads single-object encoded bytes into a generic record of {@code schema}: written with
   * {@code schema} itself, or with any known schema of the same name that resolves to it.
   */
  public static GenericRecord fromBytes(byte[] bytes, Schema schema) {
    requireRecordSchema(schema);
    long found = readFingerprint(bytes);
    Schema writer = found == fingerprint(schema) ? schema : WRITERS.findByFingerprint(found);
    if (writer == null || !writer.getFullName().equals(schema.getFullName())) {
      String message = schema.getName() + ": bytes hold schema fingerprint " + hex(found) + ", not "
          + schema.getName() + "'s " + hex(fingerprint(schema));
      throw writer == null ? new UnknownSchemaException(found, message) : new InvalidRecordException("", message);
    }
    return (GenericRecord) decode(bytes, writer, schema, GenericData.get());
  }

  /** Reads single-object encoded bytes of any Caudal topic value or table row, found by fingerprint. */
  public static SpecificRecord fromBytes(byte[] bytes) {
    long found = readFingerprint(bytes);
    Class<? extends SpecificRecord> type = classOf(found);
    if (type == null) {
      throw new UnknownSchemaException(found, "bytes: unknown schema fingerprint " + hex(found)
          + "; not a released version of any topic's value in Topics or any table's row in Tables");
    }
    return fromBytes(bytes, type);
  }

  /**
   * Lets this codec read bytes written with a version of a contract released after it was built
   * (learnt from a registry or a file): {@code schema} must be compatible both ways with the
   * contract's current schema, as {@link SchemaHistory} requires of every release.
   *
   * @return the version's fingerprint
   * @throws IllegalArgumentException when it is no contract's version or is incompatible, naming the field
   */
  public static long learn(Schema schema) {
    Class<? extends SpecificRecord> type = SchemaHistory.currentClasses().get(schema.getName());
    if (type == null || !schema.getFullName().equals(Topic.schemaOf(type).getFullName())) {
      throw new IllegalArgumentException(schema.getFullName() + " is no contract's schema");
    }
    Schema current = Topic.schemaOf(type);
    var problems = SchemaHistory.incompatibilities(schema,
        List.of(new SchemaHistory.Release(current.getName(), 0, current)));
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(schema.getName() + " cannot be learnt: " + String.join("; ", problems));
    }
    long fingerprint = fingerprint(schema);
    WRITERS.addSchema(schema);
    LEARNT.put(fingerprint, type);
    return fingerprint;
  }

  /**
   * Every writer schema this codec reads, by fingerprint: each contract's current schema and its
   * released versions. Avro's own {@code BinaryMessageDecoder} resolves with it as well.
   */
  public static SchemaStore schemaStore() {
    return WRITERS;
  }

  /** The CRC-64-AVRO fingerprint of a schema's parsing canonical form, as single-object encoding uses. */
  public static long fingerprint(Schema schema) {
    // Computing it prints the whole canonical form (~10 µs); every record read or written needs it.
    return FINGERPRINTS.computeIfAbsent(schema, SchemaNormalization::parsingFingerprint64);
  }

  // ---- JSON to Avro -----------------------------------------------------------------------------

  private static JsonNode parse(String json, Schema schema) {
    if (json == null || json.isBlank()) {
      throw fail(schema, "", "empty document");
    }
    try {
      return JSON.readTree(json);
    } catch (JsonProcessingException e) {
      String at = e.getLocation() == null ? ""
          : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
      throw new InvalidRecordException("",
          schema.getName() + ": malformed JSON" + at + ": " + e.getOriginalMessage(), e);
    }
  }

  private static Object read(JsonNode node, Schema schema, GenericData model, Schema root, String path) {
    switch (schema.getType()) {
      case RECORD -> {
        if (!node.isObject()) {
          throw wrongType(root, path, "object", node);
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
          String name = names.next();
          if (schema.getField(name) == null) {
            throw fail(root, child(path, name), "unknown field");
          }
        }
        IndexedRecord record = (IndexedRecord) model.newRecord(null, schema);
        for (Schema.Field field : schema.getFields()) {
          String fieldPath = child(path, field.name());
          JsonNode value = node.get(field.name());
          Object datum;
          if (value != null) {
            datum = read(value, field.schema(), model, root, fieldPath);
          } else if (field.hasDefaultValue()) {
            datum = model.deepCopy(field.schema(), model.getDefaultValue(field));
          } else {
            throw fail(root, fieldPath, "missing required field");
          }
          record.put(field.pos(), datum);
        }
        return record;
      }
      case UNION -> {
        return readUnion(node, schema, model, root, path);
      }
      case ARRAY -> {
        if (!node.isArray()) {
          throw wrongType(root, path, "array", node);
        }
        GenericData.Array<Object> array = new GenericData.Array<>(node.size(), schema);
        for (int i = 0; i < node.size(); i++) {
          array.add(read(node.get(i), schema.getElementType(), model, root, path + "[" + i + "]"));
        }
        return array;
      }
      case MAP -> {
        if (!node.isObject()) {
          throw wrongType(root, path, "object", node);
        }
        Map<String, Object> map = new LinkedHashMap<>();
        node.properties().forEach(entry -> map.put(entry.getKey(),
            read(entry.getValue(), schema.getValueType(), model, root, path + "[\"" + entry.getKey() + "\"]")));
        return map;
      }
      case ENUM -> {
        if (!node.isTextual()) {
          throw wrongType(root, path, schema.getName() + " symbol", node);
        }
        if (!schema.hasEnumSymbol(node.textValue())) {
          throw fail(root, path, "unknown " + schema.getName() + " symbol " + excerpt(node)
              + ", expected one of " + schema.getEnumSymbols());
        }
        return model.createEnum(node.textValue(), schema);
      }
      case STRING -> {
        if (!node.isTextual()) {
          throw wrongType(root, path, "string", node);
        }
        return node.textValue();
      }
      case BYTES -> {
        return ByteBuffer.wrap(readBase64(node, root, path));
      }
      case FIXED -> {
        byte[] bytes = readBase64(node, root, path);
        if (bytes.length != schema.getFixedSize()) {
          throw fail(root, path, "expected " + schema.getFixedSize() + " bytes, got " + bytes.length);
        }
        return model.createFixed(null, bytes, schema);
      }
      case INT -> {
        if (!node.isIntegralNumber()) {
          throw wrongType(root, path, "int", node);
        }
        if (!node.canConvertToInt()) {
          throw fail(root, path, "number " + node.asText() + " is out of range for int");
        }
        return node.intValue();
      }
      case LONG -> {
        if (!node.isIntegralNumber()) {
          throw wrongType(root, path, "long", node);
        }
        if (!node.canConvertToLong()) {
          throw fail(root, path, "number " + node.asText() + " is out of range for long");
        }
        return node.longValue();
      }
      case FLOAT -> {
        return (float) readDouble(node, root, path, "float");
      }
      case DOUBLE -> {
        return readDouble(node, root, path, "double");
      }
      case BOOLEAN -> {
        if (!node.isBoolean()) {
          throw wrongType(root, path, "boolean", node);
        }
        return node.booleanValue();
      }
      case NULL -> {
        if (!node.isNull()) {
          throw wrongType(root, path, "null", node);
        }
        return null;
      }
      default -> throw new IllegalStateException("unhandled Avro type " + schema.getType());
    }
  }

  private static Object readUnion(JsonNode node, Schema union, GenericData model, Schema root, String path) {
    if (node.isNull()) {
      if (union.getIndexNamed(Schema.Type.NULL.getName()) != null) {
        return null;
      }
      throw wrongType(root, path, describe(union), node);
    }
    var branches = union.getTypes().stream().filter(branch -> branch.getType() != Schema.Type.NULL).toList();
    if (branches.size() == 1) {
      // The usual optional field: report errors from inside the value itself.
      return read(node, branches.get(0), model, root, path);
    }
    for (Schema branch : branches) {
      try {
        return read(node, branch, model, root, path);
      } catch (InvalidRecordException notThisBranch) {
        // try the next branch
      }
    }
    throw wrongType(root, path, describe(union), node);
  }

  private static double readDouble(JsonNode node, Schema root, String path, String expected) {
    if (node.isNumber()) {
      return node.doubleValue();
    }
    if (node.isTextual()) {
      switch (node.textValue()) {
        case "NaN" -> { return Double.NaN; }
        case "Infinity" -> { return Double.POSITIVE_INFINITY; }
        case "-Infinity" -> { return Double.NEGATIVE_INFINITY; }
        default -> { }
      }
    }
    throw wrongType(root, path, expected, node);
  }

  private static byte[] readBase64(JsonNode node, Schema root, String path) {
    if (!node.isTextual()) {
      throw wrongType(root, path, "base64 string", node);
    }
    try {
      return Base64.getDecoder().decode(node.textValue());
    } catch (IllegalArgumentException e) {
      throw fail(root, path, "not base64: " + e.getMessage());
    }
  }

  // ---- Avro to JSON -----------------------------------------------------------------------------

  private static JsonNode write(Object datum, Schema schema, GenericData model, Schema root, String path) {
    if (datum == null && schema.getType() != Schema.Type.NULL && schema.getType() != Schema.Type.UNION) {
      throw fail(root, path, "null value for required " + describe(schema));
    }
    switch (schema.getType()) {
      case RECORD -> {
        if (!(datum instanceof IndexedRecord record)) {
          throw wrongValue(root, path, "record " + schema.getName(), datum);
        }
        ObjectNode object = NODES.objectNode();
        for (Schema.Field field : schema.getFields()) {
          object.set(field.name(),
              write(record.get(field.pos()), field.schema(), model, root, child(path, field.name())));
        }
        return object;
      }
      case UNION -> {
        int branch;
        try {
          branch = model.resolveUnion(schema, datum);
        } catch (UnresolvedUnionException e) {
          throw wrongValue(root, path, describe(schema), datum);
        }
        return write(datum, schema.getTypes().get(branch), model, root, path);
      }
      case ARRAY -> {
        if (!(datum instanceof Iterable<?> items)) {
          throw wrongValue(root, path, "array", datum);
        }
        ArrayNode array = NODES.arrayNode();
        int i = 0;
        for (Object item : items) {
          array.add(write(item, schema.getElementType(), model, root, path + "[" + i++ + "]"));
        }
        return array;
      }
      case MAP -> {
        if (!(datum instanceof Map<?, ?> map)) {
          throw wrongValue(root, path, "map", datum);
        }
        ObjectNode object = NODES.objectNode();
        map.forEach((key, value) -> object.set(key.toString(),
            write(value, schema.getValueType(), model, root, path + "[\"" + key + "\"]")));
        return object;
      }
      case ENUM -> {
        String symbol = datum.toString();
        if (!(datum instanceof Enum<?> || datum instanceof GenericEnumSymbol<?>) || !schema.hasEnumSymbol(symbol)) {
          throw wrongValue(root, path, schema.getName() + " symbol", datum);
        }
        return NODES.textNode(symbol);
      }
      case STRING -> {
        if (!(datum instanceof CharSequence text)) {
          throw wrongValue(root, path, "string", datum);
        }
        return NODES.textNode(text.toString());
      }
      case BYTES -> {
        if (!(datum instanceof ByteBuffer buffer)) {
          throw wrongValue(root, path, "bytes", datum);
        }
        ByteBuffer view = buffer.duplicate();
        byte[] bytes = new byte[view.remaining()];
        view.get(bytes);
        return NODES.textNode(Base64.getEncoder().encodeToString(bytes));
      }
      case FIXED -> {
        if (!(datum instanceof GenericFixed fixed)) {
          throw wrongValue(root, path, "fixed " + schema.getName(), datum);
        }
        return NODES.textNode(Base64.getEncoder().encodeToString(fixed.bytes()));
      }
      case INT -> {
        if (!(datum instanceof Integer value)) {
          throw wrongValue(root, path, "int", datum);
        }
        return NODES.numberNode(value);
      }
      case LONG -> {
        if (!(datum instanceof Long value)) {
          throw wrongValue(root, path, "long", datum);
        }
        return NODES.numberNode(value);
      }
      case FLOAT -> {
        if (!(datum instanceof Float value)) {
          throw wrongValue(root, path, "float", datum);
        }
        return NODES.numberNode(value);
      }
      case DOUBLE -> {
        if (!(datum instanceof Double value)) {
          throw wrongValue(root, path, "double", datum);
        }
        return NODES.numberNode(value);
      }
      case BOOLEAN -> {
        if (!(datum instanceof Boolean value)) {
          throw wrongValue(root, path, "boolean", datum);
        }
        return NODES.booleanNode(value);
      }
      case NULL -> {
        if (datum != null) {
          throw wrongValue(root, path, "null", datum);
        }
        return NODES.nullNode();
      }
      default -> throw new IllegalStateException("unhandled Avro type " + schema.getType());
    }
  }

  // ---- single-object header ---------------------------------------------------------------------

  private static long readFingerprint(byte[] bytes) {
    if (bytes == null || bytes.length < HEADER_LENGTH) {
      throw new InvalidRecordException("", "bytes: not single-object encoded: "
          + (bytes == null ? "null" : bytes.length + " bytes") + ", shorter than the "
          + HEADER_LENGTH + "-byte header");
    }
    if (bytes[0] != MAGIC[0] || bytes[1] != MAGIC[1]) {
      throw new InvalidRecordException("", String.format(
          "bytes: not single-object encoded: header starts %02X %02X, expected C3 01",
          bytes[0], bytes[1]));
    }
    return ByteBuffer.wrap(bytes, MAGIC.length, Long.BYTES).order(ByteOrder.LITTLE_ENDIAN).getLong();
  }

  private static Object decode(byte[] bytes, Schema writer, Schema schema, GenericData model) {
    BinaryDecoder decoder =
        DecoderFactory.get().binaryDecoder(bytes, HEADER_LENGTH, bytes.length - HEADER_LENGTH, null);
    // Avro caches the resolution of a writer and reader schema pair per thread.
    DatumReader<Object> reader = boundedReader(writer, schema, model, bytes.length - HEADER_LENGTH);
    Object datum;
    try {
      datum = reader.read(null, decoder);
      if (!decoder.isEnd()) {
        throw new InvalidRecordException("", schema.getName() + ": trailing bytes after the record");
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof InvalidRecordException invalid) {
        throw invalid;
      }
      throw new InvalidRecordException("", schema.getName() + ": corrupt Avro body ("
          + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")", e);
    }
    return datum;
  }

  /**
   * A datum reader that allocates an array or map for at most {@code bodyLength} items, whatever
   * count the bytes claim: Avro sizes a collection by its claimed count before reading an item, so
   * a few bytes claiming a billion items would exhaust the heap. Every item of a Caudal contract's
   * array or map takes at least one byte, so more items than bytes cannot be read, and a false
   * count ends in an EOF (a clean refusal) instead.
   */
  private static DatumReader<Object> boundedReader(Schema writer, Schema schema, GenericData model, int bodyLength) {
    if (model instanceof SpecificData specific) {
      return new SpecificDatumReader<>(writer, schema, specific) {
        @Override
        protected Object newArray(Object old, int size, Schema arraySchema) {
          return super.newArray(old, Math.min(size, bodyLength), arraySchema);
        }

        @Override
        protected Object newMap(Object old, int size) {
          return super.newMap(old, Math.min(size, bodyLength));
        }
      };
    }
    return new GenericDatumReader<>(writer, schema, model) {
      @Override
      protected Object newArray(Object old, int size, Schema arraySchema) {
        return super.newArray(old, Math.min(size, bodyLength), arraySchema);
      }

      @Override
      protected Object newMap(Object old, int size) {
        return super.newMap(old, Math.min(size, bodyLength));
      }
    };
  }

  // ---- helpers ----------------------------------------------------------------------------------

  private static Map<Long, Class<? extends SpecificRecord>> knownClasses() {
    Map<Long, Class<? extends SpecificRecord>> known = new HashMap<>();
    SchemaHistory.currentClasses().forEach((name, type) -> {
      Schema current = Topic.schemaOf(type);
      WRITERS.addSchema(current);
      known.put(fingerprint(current), type);
      for (SchemaHistory.Release release : SchemaHistory.releasesOf(name)) {
        WRITERS.addSchema(release.schema());
        known.put(release.fingerprint(), type);
      }
    });
    return Map.copyOf(known);
  }

  private static Class<? extends SpecificRecord> classOf(long fingerprint) {
    Class<? extends SpecificRecord> type = KNOWN.get(fingerprint);
    return type != null ? type : LEARNT.get(fingerprint);
  }

  private static GenericData modelOf(IndexedRecord record) {
    return record instanceof SpecificRecord ? SpecificData.getForClass(record.getClass()) : GenericData.get();
  }

  private static void requireRecordSchema(Schema schema) {
    if (schema.getType() != Schema.Type.RECORD) {
      throw new IllegalArgumentException("expected a record schema, got " + schema.getType());
    }
  }

  private static String child(String path, String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  private static InvalidRecordException fail(Schema root, String path, String problem) {
    String where = path.isEmpty() ? root.getName() : root.getName() + "." + path;
    return new InvalidRecordException(path, where + ": " + problem);
  }

  private static InvalidRecordException wrongType(Schema root, String path, String expected, JsonNode got) {
    return fail(root, path, "expected " + expected + ", got " + show(got));
  }

  private static InvalidRecordException wrongValue(Schema root, String path, String expected, Object got) {
    return fail(root, path, "expected " + expected + ", got " + got.getClass().getName() + " " + got);
  }

  private static String show(JsonNode node) {
    String kind = node.getNodeType().name().toLowerCase(Locale.ROOT);
    return node.isContainerNode() || node.isNull() ? kind : kind + " " + excerpt(node);
  }

  private static String excerpt(JsonNode node) {
    String text = node.toString();
    return text.length() > SHOWN_VALUE_LENGTH ? text.substring(0, SHOWN_VALUE_LENGTH) + "..." : text;
  }

  private static String describe(Schema schema) {
    if (schema.getType() != Schema.Type.UNION) {
      return schema.getType() == Schema.Type.RECORD || schema.getType() == Schema.Type.ENUM
          ? schema.getName() : schema.getType().getName();
    }
    return schema.getTypes().stream().map(JsonAvroCodec::describe).collect(Collectors.joining(" or "));
  }

  private static String hex(long fingerprint) {
    return String.format("0x%016X", fingerprint);
  }
}
