package io.caudal.localkafka;

import java.nio.charset.StandardCharsets;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;

/**
 * Rewrites the {@code eventTime} of an already encoded record in place, so a load generator can
 * encode its events ahead of time and stamp each with its send time for nothing.
 *
 * <p>Avro writes a long as a zig-zag varint (twice the value, seven bits a byte); every epoch
 * millisecond from July 1970 (2^34) to September 2039 (2^41) takes exactly six bytes, so a time in
 * that range replaces another without moving the bytes after it. The field must come after string fields only (true of every Caudal input).
 */
public final class EventTimes {
  /** 2^34 ms: 1970-07-29. */
  public static final long MIN_TIME = 1L << 34;
  /** 2^41 ms, exclusive: 2039-09-07. */
  public static final long MAX_TIME = 1L << 41;
  private static final int TIME_BYTES = 6;
  private static final int HEADER_LENGTH = 10;

  private EventTimes() {}

  /** Where the six bytes of {@code eventTime} start in {@code record}'s single-object encoding. */
  public static int offsetOf(SpecificRecord record) {
    Schema schema = record.getSchema();
    int offset = HEADER_LENGTH;
    for (Schema.Field field : schema.getFields()) {
      if (field.name().equals("eventTime")) {
        if (field.schema().getType() != Schema.Type.LONG) {
          throw new IllegalArgumentException(schema.getName() + ".eventTime is not a long");
        }
        return offset;
      }
      if (field.schema().getType() != Schema.Type.STRING) {
        throw new IllegalArgumentException(schema.getName() + ": field " + field.name()
            + " before eventTime is not a string, so eventTime's position depends on more than lengths");
      }
      int length = record.get(field.pos()).toString().getBytes(StandardCharsets.UTF_8).length;
      offset += varintLength(zigZag(length)) + length;
    }
    throw new IllegalArgumentException(schema.getName() + " has no eventTime field");
  }

  /** Writes {@code eventTime} into {@code encoded} at {@code offset} (from {@link #offsetOf}). */
  public static void rewrite(byte[] encoded, int offset, long eventTime) {
    requireInRange(eventTime);
    long value = zigZag(eventTime);
    for (int i = 0; i < TIME_BYTES - 1; i++) {
      encoded[offset + i] = (byte) ((value & 0x7F) | 0x80);
      value >>>= 7;
    }
    encoded[offset + TIME_BYTES - 1] = (byte) value;
  }

  private static void requireInRange(long eventTime) {
    if (eventTime < MIN_TIME || eventTime >= MAX_TIME) {
      throw new IllegalArgumentException("eventTime " + eventTime + " is outside [2^34, 2^41) ms, where it takes 6 bytes");
    }
  }

  private static long zigZag(long value) {
    return (value << 1) ^ (value >> 63);
  }

  private static int varintLength(long value) {
    int length = 1;
    while ((value & ~0x7FL) != 0) {
      value >>>= 7;
      length++;
    }
    return length;
  }
}
