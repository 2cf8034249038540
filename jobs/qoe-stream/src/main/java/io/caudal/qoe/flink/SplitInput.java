package io.caudal.qoe.flink;

import io.caudal.schemas.DeadLetter;
import io.caudal.schemas.PlayerHeartbeat;
import io.caudal.schemas.PlayerRtcp;
import io.caudal.schemas.ServerHealth;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/** Heartbeats out the main output; RTCP reports, health reports and refused records on side outputs. */
final class SplitInput extends ProcessFunction<Input, PlayerHeartbeat> {
  static final OutputTag<PlayerRtcp> RTCP = new OutputTag<>("rtcp", TypeInformation.of(PlayerRtcp.class));
  static final OutputTag<ServerHealth> HEALTH = new OutputTag<>("health", TypeInformation.of(ServerHealth.class));
  static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("refused", TypeInformation.of(DeadLetter.class));

  @Override
  public void processElement(Input input, Context ctx, Collector<PlayerHeartbeat> out) {
    Event event = input.event();
    if (event == null) {
      ctx.output(DEAD_LETTERS, input.deadLetter());
    } else if (event.heartbeat() != null) {
      out.collect(event.heartbeat());
    } else if (event.rtcp() != null) {
      ctx.output(RTCP, event.rtcp());
    } else {
      ctx.output(HEALTH, event.health());
    }
  }
}
