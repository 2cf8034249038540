package io.caudal.dashboard;

import io.caudal.schemas.Alert;
import io.caudal.schemas.Topics;

/** Follows {@code qoe.alerts}, keeping the highest revision of each alert in an {@link AlertBoard}. */
public final class AlertFeed extends TopicFeed<Alert> {

  private final AlertBoard state;

  public AlertFeed(String bootstrapServers) {
    this(bootstrapServers, new AlertBoard());
  }

  private AlertFeed(String bootstrapServers, AlertBoard state) {
    super(bootstrapServers, Topics.ALERTS, state::apply);
    this.state = state;
  }

  @Override
  public AlertFeed start() {
    super.start();
    return this;
  }

  /** The alerts' newest revisions. */
  public AlertBoard state() {
    return state;
  }
}
