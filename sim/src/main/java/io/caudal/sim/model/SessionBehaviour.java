package io.caudal.sim.model;

/** How viewers behave. */
public enum SessionBehaviour {
  /**
   * Viewers watch titles of 5–45 minutes, some to the end, most exiting part way; they seek and
   * pause; some sessions fail to start or are abandoned before start; after a session a viewer
   * comes back after a pause with another title.
   */
  REALISTIC,
  /**
   * Every viewer starts one session and keeps watching till the run ends: no failures, seeks,
   * pauses or exits (the thesis experiment, where clients only accumulate).
   */
  STEADY
}
