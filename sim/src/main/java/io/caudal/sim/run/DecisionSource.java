package io.caudal.sim.run;

import java.util.List;
import org.apache.avro.specific.SpecificRecord;

/** Where decisions come from: qoe.bitrate and qoe.steering on Kafka in a run. */
public interface DecisionSource extends AutoCloseable {

  /** The decisions that arrived since the last call, in arrival order; never blocks long. */
  List<SpecificRecord> poll();

  @Override
  void close();
}
