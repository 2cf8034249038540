package io.caudal.maintenance;

/** A command line the job cannot run with; the message is one line that names the option and what is wrong. */
public final class UsageException extends RuntimeException {
  public UsageException(String message) {
    super(message);
  }
}
