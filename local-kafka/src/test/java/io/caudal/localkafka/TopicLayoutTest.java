package io.caudal.localkafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.caudal.schemas.Topics;
import org.junit.jupiter.api.Test;

class TopicLayoutTest {

  @Test
  void givesInputsMorePartitionsThanOutputsAndADayOfRetention() {
    assertThat(TopicLayout.partitions(Topics.HEARTBEAT)).isEqualTo(4);
    assertThat(TopicLayout.partitions(Topics.SERVER_HEALTH)).isEqualTo(4);
    assertThat(TopicLayout.partitions(Topics.BITRATE)).isEqualTo(2);
    assertThat(TopicLayout.partitions(Topics.DEAD_LETTER)).isEqualTo(2);
    assertThat(TopicLayout.newTopics()).hasSize(Topics.all().size());
    assertThat(TopicLayout.configs(Topics.RTCP)).containsEntry("retention.ms", "86400000");
  }
}
