package io.caudal.dashboard;

import io.caudal.schemas.SteeringDecision;
import io.caudal.schemas.Topics;

/** Follows {@code qoe.steering}, keeping the latest decision per region in a {@link SteeringState}. */
public final class SteeringFeed extends TopicFeed<SteeringDecision> {

  private final SteeringState state;

  public SteeringFeed(String bootstrapServers) {
    this(bootstrapServers, new SteeringState());
  }

  private SteeringFeed(String bootstrapServers, SteeringState state) {
    super(bootstrapServers, Topics.STEERING, state::apply);
    this.state = state;
  }

  @Override
  public SteeringFeed start() {
    super.start();
    return this;
  }

  /** The regions' latest decisions. */
  public SteeringState state() {
    return state;
  }
}
