package io.caudal.schemas.cli;

/** A command line a program cannot run with; the message is one line that names the option. */
public final class UsageException extends IllegalArgumentException {
  public UsageException(String message) {
    super(message);
  }
}
