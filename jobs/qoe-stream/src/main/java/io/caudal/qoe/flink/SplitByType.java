package io.caudal.qoe.flink;

import io.caudal.schemas.PlayerHeartbeat;
import io.caudal.schemas.PlayerRtcp;
import io.caudal.schemas.ServerHealth;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/** Heartbeats out the main output; RTCP reports and health reports on side outputs. */
final class SplitByType extends ProcessFunction<Event, PlayerHeartbeat> {
  static final OutputTag<PlayerRtcp> RTCP = new OutputTag<>("rtcp", TypeInformation.of(PlayerRtcp.class));
  static final OutputTag<ServerHealth> HEALTH = new OutputTag<>("health", TypeInformation.of(ServerHealth.class));

  @Override
  public void processElement(Event event, Context ctx, Collector<PlayerHeartbeat> out) {
    if (event.heartbeat() != null) {
      out.collect(event.heartbeat());
    } else if (event.rtcp() != null) {
      ctx.output(RTCP, event.rtcp());
    } else {
      ctx.output(HEALTH, event.health());
    }
  }
}
