package io.caudal.sim.model;

/** How a player finds its server before and besides steering. */
public enum ServerChoice {
  /**
   * Until its region has a steering decision (or when the decision offers no usable server) the
   * player uses the default pathway of its master playlist: the first server of its region, by
   * id, holding the title. On every decision it moves to the decision's first usable server, as
   * an HLS player does when the steering manifest's PATHWAY-PRIORITY changes.
   */
  DEFAULT_PATHWAY,
  /**
   * The player waits for a steering decision that offers a usable server, as the thesis's clients
   * waited for the locator to name their server. Once placed it stays on its server unless a
   * decision drops the server or excludes it as unhealthy (see {@link SteeringView#keeps}).
   */
  STEERED_ONLY
}
