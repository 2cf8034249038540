package io.caudal.sim.model;

import io.caudal.schemas.PlayerHeartbeat;
import io.caudal.schemas.PlayerRtcp;
import io.caudal.schemas.ServerHealth;

/** Where the simulation's events go: Kafka in a run, a list in a test. */
public interface EventSink {
  void heartbeat(PlayerHeartbeat event);

  void rtcp(PlayerRtcp report);

  void health(ServerHealth report);
}
