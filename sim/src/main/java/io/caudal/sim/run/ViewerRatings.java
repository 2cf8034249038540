package io.caudal.sim.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.caudal.schemas.UserRating;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends the simulated viewers' ratings the way a viewer gives one: through edge's viewer app in demo
 * mode, each viewer signed in as its demo viewer (its own session cookie and CSRF token), renting
 * the title when its plan is TVOD, asking for its grant to play it, and rating with that grant's
 * playback token. Nothing is signed
 * here: a rating counts only if edge grants the viewer the title.
 *
 * <p>Ratings go out on a thread of their own, so a slow edge never holds the simulated clock back;
 * when more are waiting than {@link #MAX_WAITING}, the newest are dropped and counted. What was
 * refused is counted by reason.
 */
public final class ViewerRatings implements AutoCloseable {
  static final int MAX_WAITING = 1_000;
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  /** How long closing waits for the ratings still waiting (edge batches ratings, about 4 a second). */
  static final Duration DRAIN = Duration.ofSeconds(60);
  private static final String CSRF_HEADER = "X-CSRF-Token";
  private static final UserRating STOP = new UserRating("", "", 0, 0L);

  private final URI edge;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
  private final ObjectMapper json = new ObjectMapper();
  private final BlockingQueue<UserRating> waiting = new ArrayBlockingQueue<>(MAX_WAITING);
  private final Map<String, SignedIn> sessions = new HashMap<>();
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong leftAtExit = new AtomicLong();
  private final Map<String, Long> refused = new TreeMap<>();
  private final Thread sender;

  private record SignedIn(String cookie, String csrfToken, boolean rents) {}

  /** @param edge edge's base URL, e.g. {@code http://127.0.0.1:8080} */
  public ViewerRatings(URI edge) {
    this.edge = edge;
    this.sender = new Thread(this::sendAll, "sim-viewer-ratings");
    this.sender.setDaemon(true);
    this.sender.start();
  }

  /** Queues a rating; never blocks. */
  public void rate(UserRating rating) {
    if (!waiting.offer(rating)) {
      dropped.incrementAndGet();
    }
  }

  public long sent() {
    return sent.get();
  }

  /** What was not sent: refusals by reason, ratings dropped while edge was behind, and those left at exit. */
  public synchronized String notSent() {
    return (refused.isEmpty() ? "none refused" : "refused " + refused)
        + (dropped.get() > 0 ? ", " + dropped.get() + " dropped (more than " + MAX_WAITING + " waiting)" : "")
        + (leftAtExit.get() > 0 ? ", " + leftAtExit.get() + " still waiting at exit" : "");
  }

  private void sendAll() {
    try {
      for (UserRating rating = waiting.take(); rating != STOP; rating = waiting.take()) {
        try {
          send(rating);
          sent.incrementAndGet();
        } catch (Refused e) {
          countRefused(e.getMessage());
          if (e.signedOut) {
            sessions.remove(rating.getUserId());
          }
        } catch (IOException e) {
          countRefused("edge unreachable: " + e.getClass().getSimpleName());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private synchronized void countRefused(String reason) {
    refused.merge(reason, 1L, Long::sum);
  }

  private void send(UserRating rating) throws IOException, InterruptedException {
    SignedIn viewer = sessions.get(rating.getUserId());
    if (viewer == null) {
      viewer = signIn(rating.getUserId());
      sessions.put(rating.getUserId(), viewer);
    }
    String title = URLEncoder.encode(rating.getTitleId(), StandardCharsets.UTF_8);
    if (viewer.rents()) {
      // A TVOD viewer rented what it watched (renting again keeps the running rental).
      call(post("/v1/viewer/rent/" + title, "").header("Cookie", viewer.cookie())
          .header(CSRF_HEADER, viewer.csrfToken()), "rental");
    }
    JsonNode grant = call(post("/v1/viewer/play/" + title, "").header("Cookie", viewer.cookie())
        .header(CSRF_HEADER, viewer.csrfToken()), "play grant");
    String body = json.writeValueAsString(Map.of("titleId", rating.getTitleId(), "stars", rating.getStars()));
    call(post("/v1/ratings", body).header("Authorization", "Bearer " + grant.path("token").asText()), "rating");
  }

  /** Signs in as the demo viewer {@code userId}: a sign-in token first, then the session and its CSRF token. */
  private SignedIn signIn(String userId) throws IOException, InterruptedException {
    HttpResponse<String> start = http.send(get("/v1/viewer/session").build(), HttpResponse.BodyHandlers.ofString());
    String loginToken = check(start, "sign-in page").path("loginToken").asText();
    String body = json.writeValueAsString(Map.of("userId", userId));
    HttpResponse<String> login = http.send(post("/v1/viewer/login", body).header(CSRF_HEADER, loginToken)
        .header("Cookie", cookies(start)).build(), HttpResponse.BodyHandlers.ofString());
    check(login, "sign-in");
    String cookie = cookies(login);
    JsonNode session = call(get("/v1/viewer/session").header("Cookie", cookie), "session");
    return new SignedIn(cookie, session.path("csrfToken").asText(), "tvod".equals(session.path("plan").asText()));
  }

  private JsonNode call(HttpRequest.Builder request, String what) throws IOException, InterruptedException {
    return check(http.send(request.build(), HttpResponse.BodyHandlers.ofString()), what);
  }

  private JsonNode check(HttpResponse<String> response, String what) throws IOException {
    if (response.statusCode() / 100 != 2) {
      String reason = response.body().length() > 200 ? response.body().substring(0, 200) : response.body();
      throw new Refused(what + " " + response.statusCode() + ": " + reason.strip(), response.statusCode() == 401);
    }
    return json.readTree(response.body());
  }

  /** The cookies a response sets, as a request's Cookie header (name=value pairs only). */
  private static String cookies(HttpResponse<?> response) {
    List<String> set = response.headers().allValues("Set-Cookie");
    StringBuilder header = new StringBuilder();
    for (String cookie : set) {
      String pair = cookie.split(";", 2)[0].strip();
      if (!pair.endsWith("=")) { // an expired cookie is set empty
        header.append(header.isEmpty() ? "" : "; ").append(pair);
      }
    }
    return header.toString();
  }

  private HttpRequest.Builder get(String path) {
    return HttpRequest.newBuilder(edge.resolve(path)).timeout(TIMEOUT).GET();
  }

  private HttpRequest.Builder post(String path, String body) {
    return HttpRequest.newBuilder(edge.resolve(path)).timeout(TIMEOUT).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
  }

  /** Sends what is waiting, for at most {@link #DRAIN}; what is still waiting then is counted, not sent. */
  @Override
  public void close() throws InterruptedException {
    if (!waiting.offer(STOP, DRAIN.toMillis(), TimeUnit.MILLISECONDS)) {
      sender.interrupt();
    }
    sender.join(DRAIN.toMillis());
    if (sender.isAlive()) {
      sender.interrupt();
      sender.join();
    }
    waiting.remove(STOP);
    leftAtExit.set(waiting.size());
  }

  private static final class Refused extends IOException {
    final boolean signedOut;

    Refused(String message, boolean signedOut) {
      super(message);
      this.signedOut = signedOut;
    }
  }
}
