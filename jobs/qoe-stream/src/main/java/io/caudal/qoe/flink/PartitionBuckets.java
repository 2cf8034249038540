package io.caudal.qoe.flink;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.streaming.api.functions.sink.filesystem.BucketAssigner;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.SimpleVersionedStringSerializer;

/**
 * Puts each row in its {@code date=YYYY-MM-DD/hour=HH} folder (UTC) by the row's own time, not
 * the clock's, so a replay writes every row where the live run wrote it.
 */
final class PartitionBuckets<T> implements BucketAssigner<T, String> {
  private static final DateTimeFormatter PARTITION =
      DateTimeFormatter.ofPattern("'date='yyyy-MM-dd'/hour='HH").withZone(ZoneOffset.UTC);

  private final KeySelector<T, Long> rowTime;

  PartitionBuckets(KeySelector<T, Long> rowTime) {
    this.rowTime = rowTime;
  }

  static String partitionOf(long epochMs) {
    return PARTITION.format(Instant.ofEpochMilli(epochMs));
  }

  @Override
  public String getBucketId(T row, Context context) {
    try {
      return partitionOf(rowTime.getKey(row));
    } catch (Exception e) {
      throw new IllegalStateException("cannot read the row's time", e);
    }
  }

  @Override
  public SimpleVersionedSerializer<String> getSerializer() {
    return SimpleVersionedStringSerializer.INSTANCE;
  }
}
