package io.caudal.localkafka;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * A consumer group's lag on some topics: the records between its committed offsets and the ends
 * of the partitions. A Flink job commits its offsets when a checkpoint completes, so this lag
 * includes up to a checkpoint interval of records even when the job keeps up; what tells a job
 * that falls behind is lag that keeps growing.
 */
final class LagSampler implements AutoCloseable {
  /**
   * One look.
   *
   * @param group the group measured, empty when none has committed offsets on the topics yet
   * @param lag records behind, summed over the partitions (a partition without a committed offset
   *     counts from its start)
   * @param end the summed end offsets
   */
  record Sample(Optional<String> group, long lag, long end) {}

  private final Admin admin;
  private final List<String> topics;
  private Optional<String> group;

  LagSampler(String bootstrapServers, List<String> topics, Optional<String> group) {
    this.admin = Admin.create(Map.<String, Object>of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    this.topics = List.copyOf(topics);
    this.group = group;
  }

  Sample sample() throws ExecutionException, InterruptedException {
    List<TopicPartition> partitions = new ArrayList<>();
    admin.describeTopics(topics).allTopicNames().get().values().forEach(description -> description.partitions()
        .forEach(p -> partitions.add(new TopicPartition(description.name(), p.partition()))));
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    partitions.forEach(p -> latest.put(p, OffsetSpec.latest()));
    Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(latest).all().get();
    long end = ends.values().stream().mapToLong(ListOffsetsResult.ListOffsetsResultInfo::offset).sum();
    if (group.isEmpty()) {
      group = discoverGroup();
    }
    if (group.isEmpty()) {
      return new Sample(Optional.empty(), end, end);
    }
    Map<TopicPartition, OffsetAndMetadata> committed =
        admin.listConsumerGroupOffsets(group.get()).partitionsToOffsetAndMetadata().get();
    long lag = 0;
    for (TopicPartition partition : partitions) {
      OffsetAndMetadata offset = committed.get(partition);
      lag += ends.get(partition).offset() - (offset == null ? 0 : offset.offset());
    }
    return new Sample(group, lag, end);
  }

  /** The first group, by name, with offsets committed on one of the topics. */
  private Optional<String> discoverGroup() throws ExecutionException, InterruptedException {
    List<String> names = admin.listGroups().all().get().stream().map(GroupListing::groupId).sorted().toList();
    for (String name : names) {
      Map<TopicPartition, OffsetAndMetadata> offsets =
          admin.listConsumerGroupOffsets(name).partitionsToOffsetAndMetadata().get();
      if (offsets.keySet().stream().anyMatch(p -> topics.contains(p.topic()))) {
        return Optional.of(name);
      }
    }
    return Optional.empty();
  }

  @Override
  public void close() {
    admin.close();
  }
}
