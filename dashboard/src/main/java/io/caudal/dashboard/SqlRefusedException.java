package io.caudal.dashboard;

/** A query the dashboard will not run, or one DuckDB refused; the message says why. */
public final class SqlRefusedException extends Exception {

  public SqlRefusedException(String message) {
    super(message);
  }

  public SqlRefusedException(String message, Throwable cause) {
    super(message, cause);
  }
}
