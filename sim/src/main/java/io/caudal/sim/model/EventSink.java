package io.caudal.sim.model;

import io.caudal.schemas.PlayerHeartbeat;
import io.caudal.schemas.PlayerRtcp;
import io.caudal.schemas.ServerHealth;
import io.caudal.schemas.UserRating;
import java.util.function.Consumer;

/** Where the simulation's events go: Kafka in a run, a list in a test. */
public interface EventSink {
  void heartbeat(PlayerHeartbeat event);

  void rtcp(PlayerRtcp report);

  void health(ServerHealth report);

  /** A viewer's stars for a title after watching it; a sink that keeps no ratings ignores them. */
  default void rating(UserRating rating) {}

  /** {@code events}' events, with the ratings going to {@code ratings}. */
  static EventSink withRatings(EventSink events, Consumer<UserRating> ratings) {
    return new EventSink() {
      @Override
      public void heartbeat(PlayerHeartbeat event) {
        events.heartbeat(event);
      }

      @Override
      public void rtcp(PlayerRtcp report) {
        events.rtcp(report);
      }

      @Override
      public void health(ServerHealth report) {
        events.health(report);
      }

      @Override
      public void rating(UserRating rating) {
        ratings.accept(rating);
      }
    };
  }
}
