package io.caudal.qoe.flink;

import io.caudal.schemas.DeadLetter;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/** Valid events out the main output, refused records to the dead letters. */
final class SplitInput extends ProcessFunction<Input, Event> {
  static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("refused", TypeInformation.of(DeadLetter.class));

  @Override
  public void processElement(Input input, Context ctx, Collector<Event> out) {
    if (input.event() != null) {
      out.collect(input.event());
    } else {
      ctx.output(DEAD_LETTERS, input.deadLetter());
    }
  }
}
