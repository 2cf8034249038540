package io.caudal.edge.http;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;

/**
 * Request bodies and what answers them, kept apart from playback and steering.
 *
 * <p>A body is read without holding a thread: Jetty calls back as bytes arrive, so a client that
 * sends its headers and then dribbles (or nothing) costs a connection and a buffer, not a worker.
 * A body must be whole within {@link Limits#bodyTimeout()}, and from {@link #GRACE} on must have
 * arrived at {@link Limits#minBytesPerSecond()} or more; otherwise it is answered 408. How many
 * uploads may be in progress is bounded in all and per client address (429 or 503, both with
 * {@code Retry-After}). A whole body is answered on this class's own small pool, so an upload
 * waiting on Kafka or the file system never takes a thread that serves media.
 */
public final class Uploads implements AutoCloseable {

  /** A slow start (TCP slow start, a phone waking its radio) is not yet a slow client. */
  static final Duration GRACE = Duration.ofSeconds(2);
  /** Enough to keep Kafka's acknowledgements flowing; waiting uploads queue rather than take media threads. */
  static final int THREADS = 8;
  static final int QUEUE = 4096;
  static final String RETRY_AFTER_SECONDS = "2";

  /**
   * @param maxUploads uploads in progress at once, from every client
   * @param maxPerClient uploads in progress at once from one client address
   * @param bodyTimeout how long a whole body may take
   * @param minBytesPerSecond the slowest a body may arrive, after {@link #GRACE}
   * @param maxBodyBytes the largest body
   */
  public record Limits(int maxUploads, int maxPerClient, Duration bodyTimeout, long minBytesPerSecond,
      int maxBodyBytes) {

    public Limits {
      if (maxUploads < 1 || maxPerClient < 1 || bodyTimeout.isNegative() || bodyTimeout.isZero()
          || minBytesPerSecond < 0 || maxBodyBytes < 1) {
        throw new IllegalArgumentException("upload limits must be positive");
      }
    }
  }

  /** Why an upload is not taken or not read; the status and the reason for the client. */
  public static final class Refused extends Exception {
    final int status;

    Refused(int status, String reason) {
      super(reason, null, false, false);
      this.status = status;
    }

    public int status() {
      return status;
    }
  }

  private final Limits limits;
  private final ThreadPoolExecutor answering;
  private final ScheduledExecutorService watch;
  private final AtomicInteger inProgress = new AtomicInteger();
  private final ConcurrentHashMap<String, AtomicInteger> perClient = new ConcurrentHashMap<>();

  public Uploads(Limits limits) {
    this.limits = limits;
    AtomicInteger n = new AtomicInteger();
    this.answering = new ThreadPoolExecutor(THREADS, THREADS, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE),
        r -> {
          Thread t = new Thread(r, "edge-uploads-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
    ScheduledThreadPoolExecutor watch = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "edge-upload-watch");
      t.setDaemon(true);
      return t;
    });
    // A cancelled watchdog leaves the queue at once rather than at its next run.
    watch.setRemoveOnCancelPolicy(true);
    this.watch = watch;
  }

  public Limits limits() {
    return limits;
  }

  /** Uploads in progress now. */
  public int inProgress() {
    return inProgress.get();
  }

  /**
   * Takes an upload from {@code client} if the limits allow; the caller must {@link #release} it.
   *
   * @return why not, when not
   */
  Optional<Refused> admit(String client) {
    if (inProgress.incrementAndGet() > limits.maxUploads()) {
      inProgress.decrementAndGet();
      return Optional.of(new Refused(503, "too many uploads in progress, retry later"));
    }
    AtomicInteger mine = perClient.computeIfAbsent(client, c -> new AtomicInteger());
    if (mine.incrementAndGet() > limits.maxPerClient()) {
      release(client);
      return Optional.of(new Refused(429, "at most " + limits.maxPerClient() + " uploads at once per client"));
    }
    return Optional.empty();
  }

  void release(String client) {
    inProgress.decrementAndGet();
    perClient.computeIfPresent(client, (c, count) -> count.decrementAndGet() <= 0 ? null : count);
  }

  /**
   * Reads a request's whole body without blocking.
   *
   * @return the body, or a failure that is a {@link Refused} (too large, too slow, cut short)
   */
  CompletableFuture<byte[]> read(Request request) {
    CompletableFuture<byte[]> body = new CompletableFuture<>();
    long declared = request.getLength();
    if (declared > limits.maxBodyBytes()) {
      body.completeExceptionally(tooLarge(declared + " bytes"));
      return body;
    }
    AtomicLong received = new AtomicLong();
    long start = System.nanoTime();
    Request counted = new Request.Wrapper(request) {
      @Override
      public Content.Chunk read() {
        Content.Chunk chunk = super.read();
        if (chunk != null) {
          received.addAndGet(chunk.remaining());
        }
        return chunk;
      }
    };
    // One byte over the bound is enough to know the body is too large.
    Content.Source.asByteArrayAsync(counted, limits.maxBodyBytes() + 1).whenComplete((bytes, failure) -> {
      if (failure != null) {
        body.completeExceptionally(received.get() > limits.maxBodyBytes()
            ? tooLarge("more than " + limits.maxBodyBytes() + " bytes")
            : new Refused(400, "request body cut short"));
      } else if (bytes.length > limits.maxBodyBytes()) {
        body.completeExceptionally(tooLarge("more than " + limits.maxBodyBytes() + " bytes"));
      } else {
        body.complete(bytes);
      }
    });
    // Most bodies (a licence request, a batch of events) came with their headers and are read by now:
    // only one still arriving needs watching.
    if (!body.isDone()) {
      ScheduledFuture<?> watchdog = watch.scheduleAtFixedRate(
          () -> tooSlow(System.nanoTime() - start, received.get()).ifPresent(body::completeExceptionally),
          500, 500, TimeUnit.MILLISECONDS);
      body.whenComplete((b, e) -> watchdog.cancel(false));
    }
    return body;
  }

  /** Why a body that has sent {@code received} bytes in {@code elapsedNanos} is cut off now, if it is. */
  Optional<Refused> tooSlow(long elapsedNanos, long received) {
    if (elapsedNanos >= limits.bodyTimeout().toNanos()) {
      return Optional.of(new Refused(408, "request body not received within " + limits.bodyTimeout().toSeconds()
          + " s"));
    }
    if (elapsedNanos >= GRACE.toNanos() && received * 1_000_000_000L < limits.minBytesPerSecond() * elapsedNanos) {
      return Optional.of(new Refused(408, "request body arrived slower than " + limits.minBytesPerSecond()
          + " bytes/s"));
    }
    return Optional.empty();
  }

  private Refused tooLarge(String size) {
    return new Refused(400, "body too large: " + size + ", at most " + limits.maxBodyBytes());
  }

  /** @throws RejectedExecutionException when the queue is full */
  void answer(Runnable task) {
    answering.execute(task);
  }

  @Override
  public void close() {
    watch.shutdownNow();
    answering.shutdownNow();
  }
}
