package io.caudal.schemas;

/**
 * Bytes written with a schema that is neither a contract's current schema nor one of its
 * released versions ({@link SchemaHistory}): nothing here can resolve them, whatever they hold.
 */
public final class UnknownSchemaException extends InvalidRecordException {

  private static final long serialVersionUID = 1L;

  private final long fingerprint;

  UnknownSchemaException(long fingerprint, String message) {
    super("", message);
    this.fingerprint = fingerprint;
  }

  /** The CRC-64-AVRO fingerprint the bytes carry. */
  public long fingerprint() {
    return fingerprint;
  }

  /** The fingerprint as it is written in messages, {@code 0x0807060504030201}. */
  public String hexFingerprint() {
    return String.format("0x%016X", fingerprint);
  }
}
