package io.caudal.dashboard;

import io.caudal.schemas.Alert;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The newest change of each alert: the highest revision per alertId. qoe.alerts is at-least-once
 * and the table holds every change, so a repeated or older revision is dropped; reading both, in
 * any order, ends in the same state.
 */
public final class AlertBoard {

  private final ConcurrentHashMap<String, Alert> byId = new ConcurrentHashMap<>();

  /** Keeps the change when it is the alert's highest revision so far. */
  public void apply(Alert alert) {
    byId.merge(alert.getAlertId(), alert,
        (held, incoming) -> incoming.getRevision() > held.getRevision() ? incoming : held);
  }

  /** Applies every change. */
  public void applyAll(Collection<Alert> alerts) {
    alerts.forEach(this::apply);
  }

  /** The newest change of every alert. */
  public List<Alert> latest() {
    return new ArrayList<>(byId.values());
  }
}
