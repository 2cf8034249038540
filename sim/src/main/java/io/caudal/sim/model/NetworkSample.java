package io.caudal.sim.model;

/** What one player's path measured over one tick. */
public record NetworkSample(double throughputKbps, double loss, double jitterMs, double rttMs) {}
