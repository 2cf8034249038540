package io.caudal.sim.model;

import io.caudal.schemas.HeartbeatType;
import io.caudal.schemas.PlayerHeartbeat;
import io.caudal.schemas.PlayerRtcp;
import io.caudal.schemas.ServerHealth;
import io.caudal.schemas.UserRating;
import java.util.ArrayList;
import java.util.List;

/** Keeps what a simulation sends, in order. */
public final class CollectingSink implements EventSink {
  public final List<PlayerHeartbeat> heartbeats = new ArrayList<>();
  public final List<PlayerRtcp> rtcp = new ArrayList<>();
  public final List<ServerHealth> health = new ArrayList<>();
  public final List<UserRating> ratings = new ArrayList<>();

  @Override
  public void heartbeat(PlayerHeartbeat event) {
    heartbeats.add(event);
  }

  @Override
  public void rtcp(PlayerRtcp report) {
    rtcp.add(report);
  }

  @Override
  public void health(ServerHealth report) {
    health.add(report);
  }

  @Override
  public void rating(UserRating rating) {
    ratings.add(rating);
  }

  public List<PlayerHeartbeat> of(String sessionId) {
    return heartbeats.stream().filter(h -> h.getSessionId().equals(sessionId)).toList();
  }

  public List<HeartbeatType> typesOf(String sessionId) {
    return of(sessionId).stream().map(PlayerHeartbeat::getType).toList();
  }
}
