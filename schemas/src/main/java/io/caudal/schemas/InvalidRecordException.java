package io.caudal.schemas;

/**
 * A record refused by {@link JsonAvroCodec}. The message names the record, the field path and the
 * cause, e.g. {@code SteeringDecision.excluded[1].reason: missing required field}; it is meant to
 * be shown to people and to go into a dead letter's {@code detail}.
 */
public class InvalidRecordException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  private final String fieldPath;

  public InvalidRecordException(String fieldPath, String message) {
    this(fieldPath, message, null);
  }

  public InvalidRecordException(String fieldPath, String message, Throwable cause) {
    super(message, cause);
    this.fieldPath = fieldPath == null ? "" : fieldPath;
  }

  /** Path of the offending field, e.g. {@code ladder[2].codecs}; empty when the whole input is refused. */
  public String fieldPath() {
    return fieldPath;
  }
}
