package io.caudal.qoe.flink;

import io.caudal.qoe.core.alert.WebhookNotifier;
import io.caudal.schemas.Alert;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Alert changes by alert id → each webhook receiver ({@link WebhookNotifier}: JSON, retries with
 * backoff, idempotency key). The highest revision each receiver got is kept per alert, so a
 * change replayed after a restart from a checkpoint taken after its delivery is not resent; one
 * delivered after the last checkpoint may be (receivers dedupe by the idempotency key).
 */
final class WebhookDelivery extends KeyedProcessFunction<String, Alert, Void> {
  private final List<String> receivers;
  private transient List<WebhookNotifier> notifiers;
  private transient MapState<String, Long> deliveredRevision;

  WebhookDelivery(List<String> receivers) {
    this.receivers = List.copyOf(receivers);
  }

  @Override
  public void open(OpenContext context) {
    notifiers = new ArrayList<>();
    for (String url : receivers) {
      notifiers.add(WebhookNotifier.withDefaults(URI.create(url)));
    }
    deliveredRevision = getRuntimeContext().getMapState(
        new MapStateDescriptor<>("webhook-delivered", Types.STRING, Types.LONG));
  }

  @Override
  public void processElement(Alert alert, Context ctx, Collector<Void> out) throws Exception {
    for (WebhookNotifier notifier : notifiers) {
      String receiver = notifier.receiver().toString();
      Long delivered = deliveredRevision.get(receiver);
      if (delivered != null && delivered >= alert.getRevision()) {
        continue;
      }
      if (notifier.deliver(alert)) {
        deliveredRevision.put(receiver, alert.getRevision());
      }
    }
    if (alert.getState() == io.caudal.schemas.AlertState.RESOLVED) {
      // Its last change: nothing more will come under this id.
      deliveredRevision.clear();
    }
  }
}
