package io.caudal.qoe.flink;

import io.caudal.qoe.core.BitrateCapPolicy;
import io.caudal.qoe.core.Lateness;
import io.caudal.qoe.core.MinuteContribution;
import io.caudal.qoe.core.SteeringPolicy;
import io.caudal.qoe.core.TitleLadder;
import io.caudal.schemas.BitrateDecision;
import io.caudal.schemas.DeadLetter;
import io.caudal.schemas.PlayerHeartbeat;
import io.caudal.schemas.PlayerRtcp;
import io.caudal.schemas.QoeMinute;
import io.caudal.schemas.QoeSession;
import io.caudal.schemas.ServerHealth;
import io.caudal.schemas.SteeringDecision;
import io.caudal.qoe.core.alert.AnomalyDetector;
import io.caudal.schemas.Alert;
import io.caudal.schemas.AlertRule;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * The qoe-stream graph, built from the input records and the sinks it is handed, so the job, its
 * replay mode and the tests wire the same thing:
 *
 * <pre>
 * players' checked records with their event time (refusals → dead letters)
 *   → heartbeats + RTCP by session → sessionize (resends dropped) → qoe_sessions, bitrate caps, session minutes
 *   → session minutes by slice → qoe_minute
 *   → server health (servers' checked records, their own event time) + session minutes by region → steering
 * </pre>
 */
public final class QoePipeline {
  /** Default bound on how late an event may arrive behind the newest one. */
  public static final Duration DEFAULT_OUT_OF_ORDERNESS = Duration.ofSeconds(5);
  /** Default inactivity after which a session without an end event is closed. */
  public static final Duration DEFAULT_INACTIVITY = Duration.ofSeconds(60);
  /** A source split with no events for this long stops holding the watermark back. */
  public static final Duration IDLENESS = Duration.ofSeconds(30);

  /**
   * How the job judges and decides.
   *
   * @param inactivity silence after which a session without an end event is closed
   * @param titles the catalog's titles by id (durations, ladders)
   * @param defaultLadderKbps the ladder assumed for titles the catalog lacks
   */
  public record Settings(Duration inactivity, Map<String, TitleLadder> titles, int[] defaultLadderKbps,
      BitrateCapPolicy capPolicy, SteeringPolicy steeringPolicy) {

    public static Settings defaults(Map<String, TitleLadder> titles, int[] defaultLadderKbps) {
      return new Settings(DEFAULT_INACTIVITY, titles, defaultLadderKbps, new BitrateCapPolicy(), new SteeringPolicy());
    }

    public Settings withInactivity(Duration value) {
      return new Settings(value, titles, defaultLadderKbps, capPolicy, steeringPolicy);
    }

    public Settings withSteeringPolicy(SteeringPolicy value) {
      return new Settings(inactivity, titles, defaultLadderKbps, capPolicy, value);
    }
  }

  /**
   * The checked input records, in two streams with watermarks of their own: players' events
   * (heartbeats and RTCP reports) come many times a second, servers' health every few seconds,
   * and sessions must not wait for the sparser clock.
   */
  public record Inputs(DataStream<Input> players, DataStream<Input> servers) {}

  /** Where each output goes. */
  public record Outputs(Sink<QoeSession> sessions, Sink<QoeMinute> minutes, Sink<BitrateDecision> bitrate,
      Sink<SteeringDecision> steering, Sink<DeadLetter> deadLetters) {}

  /**
   * Where alerts come from and go: the rules' stream, the detector's settings, the topic, the
   * table and the webhook receivers (none for no webhooks).
   */
  public record AlertOutputs(DataStream<List<AlertRule>> rules, AnomalyDetector.Settings anomalies,
      Sink<Alert> topic, Sink<Alert> table, List<String> webhooks) {}

  private QoePipeline() {}

  /**
   * Event time for checked input records: bounded out-of-orderness, emitted as events arrive (see
   * {@link StepWatermarks}), per Kafka partition when given to the source; an idle partition stops
   * holding the watermark back after {@link #IDLENESS}. A record's time in the job is its event
   * time, but never later than when it reached Kafka (the record's own timestamp, when it has one)
   * nor than the processing time:
   * a client's clock cannot move the watermark past the other clients' events ({@link Lateness}).
   */
  public static WatermarkStrategy<Input> watermarks(Duration outOfOrderness) {
    long bound = outOfOrderness.toMillis();
    return WatermarkStrategy.<Input>forGenerator(ctx -> new StepWatermarks<>(bound))
        .withTimestampAssigner((input, recordTime) ->
            recordTime >= 0 ? Lateness.clockTime(input.eventTime(), Math.min(recordTime, System.currentTimeMillis()))
                : input.eventTime())
        .withIdleness(IDLENESS);
  }

  /** Wires the whole graph from checked, timestamped input records to {@code outputs}, without alerts. */
  public static void build(Inputs inputs, Settings settings, Outputs outputs) {
    build(inputs, settings, outputs, null);
  }

  /** Wires the whole graph, alerts included when {@code alerts} is given. */
  public static void build(Inputs inputs, Settings settings, Outputs outputs, AlertOutputs alerts) {
    SingleOutputStreamOperator<PlayerHeartbeat> heartbeats = inputs.players().process(new SplitInput())
        .name("split player events");
    DataStream<PlayerRtcp> reports = heartbeats.getSideOutput(SplitInput.RTCP);
    SingleOutputStreamOperator<PlayerHeartbeat> serverEvents = inputs.servers().process(new SplitInput())
        .name("split server events");
    DataStream<ServerHealth> health = serverEvents.getSideOutput(SplitInput.HEALTH);

    SingleOutputStreamOperator<QoeSession> sessions = heartbeats.connect(reports)
        .keyBy(PlayerHeartbeat::getSessionId, PlayerRtcp::getSessionId)
        .process(new Sessionizer(settings.inactivity().toMillis(), settings.titles(), settings.defaultLadderKbps(),
            settings.capPolicy()))
        .name("sessionize").uid("sessionize"); // the state's name in savepoints: keep it
    DataStream<MinuteContribution> minutes = sessions.getSideOutput(Sessionizer.MINUTES);

    SingleOutputStreamOperator<SteeringDecision> steering = health.connect(minutes)
        .keyBy(ServerHealth::getRegion, minute -> minute.keyOf("region"))
        .process(new RegionSteering(settings.steeringPolicy()))
        .name("steer regions").uid("steer-regions");

    sessions.sinkTo(outputs.sessions()).name("qoe_sessions");
    DataStream<QoeMinute> minuteRows = MinuteRows.of(minutes);
    minuteRows.sinkTo(outputs.minutes()).name("qoe_minute");
    if (alerts != null) {
      DataStream<Alert> changes = Alerts.of(minutes, minuteRows.union(MinuteRows.fleet(minutes)), alerts.rules(),
          alerts.anomalies());
      changes.sinkTo(alerts.topic()).name("qoe.alerts");
      changes.sinkTo(alerts.table()).name("alerts");
      if (!alerts.webhooks().isEmpty()) {
        changes.keyBy(Alert::getAlertId).process(new WebhookDelivery(alerts.webhooks()))
            .returns(Void.class).name("alert webhooks").uid("alert-webhooks")
            .sinkTo(new DiscardingSink<>()).name("webhooks delivered");
      }
    }
    sessions.getSideOutput(Sessionizer.BITRATE).sinkTo(outputs.bitrate()).name("qoe.bitrate");
    steering.sinkTo(outputs.steering()).name("qoe.steering");
    heartbeats.getSideOutput(SplitInput.DEAD_LETTERS)
        .union(serverEvents.getSideOutput(SplitInput.DEAD_LETTERS), sessions.getSideOutput(Sessionizer.DEAD_LETTERS),
            steering.getSideOutput(RegionSteering.DEAD_LETTERS))
        .sinkTo(outputs.deadLetters()).name("events.dlq");
  }
}
