package io.caudal.edge.licence;

import java.util.Locale;

/** Why a licence is refused: the {@code reason} of the answer and the label of {@code edge_licence_refusals_total}. */
public enum Refusal {
  /** The grant in the path has expired (a rental's period is over). */
  EXPIRED(403),
  /** The token in the path does not verify: tampered, malformed, or lasting longer than this server honours. */
  INVALID_TOKEN(403),
  /** A key id that belongs to another title than the granted one. */
  OTHER_TITLE(403),
  /** A key id no stored title has. */
  UNKNOWN_KID(403),
  /** The request is not a ClearKey licence request. */
  MALFORMED(400),
  /** This server has no master key, so it holds no keys to give. */
  UNAVAILABLE(503);

  private final int status;

  Refusal(int status) {
    this.status = status;
  }

  public int status() {
    return status;
  }

  /** The reason as the answer and the metrics spell it. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** A refused licence request; the message says why without naming another title or any key. */
  public static final class Refused extends Exception {
    private final Refusal reason;

    public Refused(Refusal reason, String message) {
      super(message);
      this.reason = reason;
    }

    public Refusal reason() {
      return reason;
    }
  }
}
