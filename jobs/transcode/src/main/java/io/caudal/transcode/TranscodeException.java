package io.caudal.transcode;

/** A title that cannot be transcoded or published; the message is the one line a user sees. */
public class TranscodeException extends RuntimeException {
  public TranscodeException(String message) {
    super(message);
  }
}
