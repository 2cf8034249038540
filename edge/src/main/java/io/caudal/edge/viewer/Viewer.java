package io.caudal.edge.viewer;

/** A viewer account: the user id playback is granted to, and its plan. */
public record Viewer(String userId, Plan plan) {}
