package io.caudal.sim.run;

import io.caudal.schemas.BitrateDecision;
import io.caudal.schemas.SteeringDecision;
import io.caudal.sim.model.EventSink;
import io.caudal.sim.model.Simulation;
import org.apache.avro.specific.SpecificRecord;

/**
 * Runs a simulation for a simulated duration: each tick takes the decisions that arrived, steps
 * the simulation into the sink, and waits for the wall clock.
 */
public final class SimRunner {
  private final Simulation simulation;
  private final EventSink sink;
  private final DecisionSource decisions;
  private final Pacer pacer;

  public SimRunner(Simulation simulation, EventSink sink, DecisionSource decisions, Pacer pacer) {
    this.simulation = simulation;
    this.sink = sink;
    this.decisions = decisions;
    this.pacer = pacer;
  }

  /** Runs until {@code durationMs} of simulated time have passed. */
  public void run(long durationMs) throws InterruptedException {
    while (simulation.elapsedMs() < durationMs) {
      applyDecisions();
      simulation.step(sink);
      pacer.awaitSimulated(simulation.elapsedMs());
    }
    applyDecisions();
  }

  private void applyDecisions() {
    for (SpecificRecord decision : decisions.poll()) {
      if (decision instanceof BitrateDecision bitrate) {
        simulation.apply(bitrate);
      } else if (decision instanceof SteeringDecision steering) {
        simulation.apply(steering);
      }
    }
  }
}
