package io.caudal.qoe.flink;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.Serializable;

/**
 * How one state type is written, with a format number that grows with every field added: what
 * {@link FormatSerializer} turns into a Flink serializer. An implementation is named in every
 * checkpoint and savepoint that holds its state, so it keeps its class name and a public no-argument
 * constructor, and reads every format it ever wrote.
 */
public interface StateFormat<T> extends Serializable {

  /** The format {@link #write} writes. */
  int current();

  void write(T value, DataOutput out) throws IOException;

  /** Reads a value written in {@code format}, 1 up to {@link #current()}. */
  T read(DataInput in, int format) throws IOException;

  /** An empty value, as Flink asks of a serializer. */
  T create();
}
