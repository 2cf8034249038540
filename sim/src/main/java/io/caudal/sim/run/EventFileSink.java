package io.caudal.sim.run;

import io.caudal.schemas.JsonAvroCodec;
import io.caudal.schemas.PlayerHeartbeat;
import io.caudal.schemas.PlayerRtcp;
import io.caudal.schemas.ServerHealth;
import io.caudal.schemas.Topics;
import io.caudal.sim.model.EventSink;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.GZIPOutputStream;
import org.apache.avro.specific.SpecificRecord;

/**
 * The events as JSON lines, each the event's JSON interchange form with a {@code topic} field:
 * the replay form of {@code bin/caudal qoe --replay}. Written to a staging file and moved into
 * place on {@link #close}, so a reader never sees half a run.
 */
public final class EventFileSink implements EventSink, AutoCloseable {
  private final Path target;
  private final Path staging;
  private final BufferedWriter out;
  private long written;
  private boolean closed;

  public EventFileSink(Path target) throws IOException {
    this.target = target.toAbsolutePath();
    Path folder = this.target.getParent();
    Files.createDirectories(folder);
    this.staging = Files.createTempFile(folder, "." + target.getFileName(), ".part");
    OutputStream file = Files.newOutputStream(staging);
    if (target.getFileName().toString().endsWith(".gz")) {
      file = new GZIPOutputStream(file, 1 << 16);
    }
    this.out = new BufferedWriter(new OutputStreamWriter(file, StandardCharsets.UTF_8), 1 << 16);
  }

  @Override
  public void heartbeat(PlayerHeartbeat event) {
    write(Topics.HEARTBEAT.name(), event);
  }

  @Override
  public void rtcp(PlayerRtcp report) {
    write(Topics.RTCP.name(), report);
  }

  @Override
  public void health(ServerHealth report) {
    write(Topics.SERVER_HEALTH.name(), report);
  }

  private void write(String topic, SpecificRecord event) {
    String json = JsonAvroCodec.toJson(event);
    try {
      // {"topic":"…", then the event's own fields.
      out.write("{\"topic\":\"" + topic + "\"," + json.substring(json.indexOf('{') + 1));
      out.write('\n');
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + staging, e);
    }
    written++;
  }

  public long written() {
    return written;
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    out.close();
    Files.move(staging, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
