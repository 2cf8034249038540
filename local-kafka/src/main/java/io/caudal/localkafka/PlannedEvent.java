package io.caudal.localkafka;

/**
 * One event of a load run, encoded ahead of time.
 *
 * @param topic the Kafka topic
 * @param key the record key (session or server id, UTF-8)
 * @param value the single-object encoded value; its event time is rewritten when sent
 * @param timeOffset where the value's {@code eventTime} bytes start ({@link EventTimes#offsetOf})
 * @param sendAtMs when to send it, ms after the run starts
 * @param observedBeforeMs how long before it is sent the event happened: its event time is
 *     {@code start + sendAtMs - observedBeforeMs}, so events arrive a little out of order as from
 *     real players
 */
public record PlannedEvent(String topic, byte[] key, byte[] value, int timeOffset, long sendAtMs,
    int observedBeforeMs) {}
