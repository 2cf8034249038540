package io.caudal.transcode.core.media;

/** A media file that cannot be used, with the file named and the cause in one line. */
public class MediaException extends RuntimeException {
  public MediaException(String file, String cause) {
    super(file + ": " + cause);
  }
}
