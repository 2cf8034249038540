package io.caudal.sim;

import io.caudal.schemas.cli.CommandLines;
import io.caudal.schemas.cli.UsageException;
import io.caudal.sim.experiment.ThesisExperiment;
import io.caudal.sim.experiment.ThesisReport;
import io.caudal.sim.experiment.ThesisRow;
import io.caudal.sim.kafka.KafkaDecisionSource;
import io.caudal.sim.kafka.KafkaEventSink;
import io.caudal.sim.kafka.KafkaTopics;
import io.caudal.sim.model.EventSink;
import io.caudal.sim.model.Player;
import io.caudal.sim.model.SimConfig;
import io.caudal.sim.model.Simulation;
import io.caudal.sim.run.Pacer;
import io.caudal.sim.run.EventFileSink;
import io.caudal.sim.run.SimRunner;
import io.caudal.sim.run.ViewerRatings;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.kafka.common.KafkaException;

/** {@code bin/caudal sim}: parses the options and wires the simulation to Kafka. */
public final class SimMain {
  /** Progress is printed once per simulated minute. */
  static final long PROGRESS_EVERY_MS = 60_000;

  private SimMain() {}

  public static void main(String[] args) {
    int code;
    try {
      code = run(args);
    } catch (UsageException e) {
      code = CommandLines.refuse("caudal sim", e, System.err);
    } catch (KafkaTopics.BrokerUnavailableException e) {
      System.err.println("caudal sim: " + e.getMessage());
      code = 1;
    } catch (KafkaException | IllegalStateException e) {
      System.err.println("caudal sim: " + e.getMessage());
      code = 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      System.err.println("caudal sim: interrupted");
      code = 130;
    } catch (Exception e) {
      System.err.println("caudal sim: " + e);
      code = 1;
    }
    System.exit(code);
  }

  static int run(String[] args) throws Exception {
    Optional<SimOptions> parsed = SimOptions.parse(args);
    if (parsed.isEmpty()) {
      System.out.print(SimOptions.usage());
      return 0;
    }
    SimOptions options = parsed.get();
    return options.thesisExperiment() ? runThesis(options) : runFleet(options);
  }

  static int runFleet(SimOptions options) throws Exception {
    // A file is written at once: its run ends now, as a replay of the past, unless told when it starts.
    long start = options.start() != null ? options.start().toEpochMilli()
        : options.eventsOut() != null ? System.currentTimeMillis() - options.durationMs()
        : Pacer.startEpochMs(System.currentTimeMillis(), options.durationMs(), options.speed());
    SimConfig config = SimConfig.defaults(options.players(), options.servers(), options.regions(), start,
        options.seed()).withFaults(options.faults()).withTitleIds(options.titleIds());
    try {
      Simulation.validateTitles(options.titleIds());
    } catch (IllegalArgumentException e) {
      throw new UsageException("--titles: " + e.getMessage());
    }
    try {
      Simulation.validateFaults(config);
    } catch (IllegalArgumentException e) {
      throw new UsageException("--fault: " + e.getMessage());
    }
    if (options.eventsOut() != null) {
      return writeEvents(options, config);
    }
    KafkaTopics.ensure(options.bootstrapServers());
    Simulation simulation = new Simulation(config);
    System.err.printf(Locale.ROOT, "caudal sim: %d players, %d servers in %s, %d s at %.1fx, to %s%n",
        options.players(), options.servers(), simulation.regions(), options.durationMs() / 1000, options.speed(),
        options.bootstrapServers());
    ViewerRatings ratings = options.rateAt() == null ? null : new ViewerRatings(options.rateAt());
    try (KafkaEventSink kafka = new KafkaEventSink(options.bootstrapServers(), options.serverUrl());
        KafkaDecisionSource decisions = new KafkaDecisionSource(options.bootstrapServers())) {
      EventSink sink = ratings == null ? kafka : EventSink.withRatings(kafka, ratings::rate);
      SimRunner runner = new SimRunner(simulation, sink, decisions, new Pacer(options.speed()));
      for (long done = 0; done < options.durationMs(); ) {
        done = Math.min(options.durationMs(), done + PROGRESS_EVERY_MS);
        runner.run(done);
        System.err.println(progress(simulation, kafka.sent())
            + (ratings == null ? "" : "; " + ratings.sent() + " ratings sent to " + options.rateAt()));
      }
      kafka.flush();
      System.out.printf(Locale.ROOT, "sent %d events; %d server assignments; faults injected: %s%n",
          kafka.sent(), simulation.assignments().size(), simulation.injectedFaults());
    } finally {
      if (ratings != null) {
        ratings.close();
        System.out.printf(Locale.ROOT, "sent %d ratings to %s (%s)%n", ratings.sent(), options.rateAt(),
            ratings.notSent());
      }
    }
    return 0;
  }

  /** Open loop (no decisions), as fast as the events are made, into a replay file. */
  static int writeEvents(SimOptions options, SimConfig config) throws Exception {
    Simulation simulation = new Simulation(config);
    try (EventFileSink sink = new EventFileSink(options.eventsOut())) {
      while (simulation.elapsedMs() < options.durationMs()) {
        simulation.step(sink);
      }
      sink.close(); // in place before it is announced
      System.out.printf(Locale.ROOT, "wrote %d events to %s, from %d to %d (epoch ms); faults injected: %s%n",
          sink.written(), options.eventsOut(), config.startEpochMs(), config.startEpochMs() + options.durationMs(),
          simulation.injectedFaults());
    }
    return 0;
  }

  static int runThesis(SimOptions options) throws Exception {
    ThesisExperiment.Settings settings = new ThesisExperiment.Settings(options.maxClients(), options.clientStep(),
        options.stepMs(), options.speed(), options.seed());
    KafkaTopics.ensure(options.bootstrapServers());
    String tag = Long.toString(System.currentTimeMillis() / 1000, 36);
    System.err.printf(Locale.ROOT, "caudal sim: thesis experiment, 1-4 servers, up to %d clients by %d, %d s per "
        + "step at %.1fx, regions %s; it needs qoe-stream running on %s%n", options.maxClients(),
        options.clientStep(), options.stepMs() / 1000, options.speed(), ThesisExperiment.regionOf(tag, 1) + "..4",
        options.bootstrapServers());
    List<ThesisRow> rows;
    try (KafkaEventSink sink = new KafkaEventSink(options.bootstrapServers(), options.serverUrl());
        KafkaDecisionSource decisions = new KafkaDecisionSource(options.bootstrapServers())) {
      rows = new ThesisExperiment(settings, sink, decisions, tag).run();
      sink.flush();
    }
    ThesisReport.write(rows, options.out());
    System.out.print(ThesisReport.table(rows));
    System.out.println("wrote " + options.out().resolve(ThesisReport.TABLE) + ", " + ThesisReport.CSV + ", "
        + ThesisReport.PLOT);
    if (rows.stream().allMatch(r -> r.waitingAtEnd() == options.clientStep())) {
      System.err.println("caudal sim: no client ever got a server: is qoe-stream running and publishing qoe.steering?");
    }
    return 0;
  }

  private static String progress(Simulation simulation, long sent) {
    long playing = simulation.players().stream().filter(p -> p.state() == Player.State.PLAYING).count();
    long stalled = simulation.players().stream().filter(p -> p.state() == Player.State.STALLED).count();
    long waiting = simulation.players().stream().filter(p -> p.state() == Player.State.WAITING_SERVER).count();
    return String.format(Locale.ROOT, "caudal sim: t=%ds playing %d, stalled %d, waiting for a server %d; "
        + "%d events acknowledged", simulation.elapsedMs() / 1000, playing, stalled, waiting, sent);
  }
}
