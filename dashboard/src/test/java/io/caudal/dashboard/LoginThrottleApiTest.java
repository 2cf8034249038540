package io.caudal.dashboard;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.caudal.testing.IntegrationTest;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Password guessing against a real server: throttled, then locked, and no bcrypt for a refused attempt. */
@IntegrationTest
class LoginThrottleApiTest {

  static final String PASSWORD = "correct horse battery";
  static final String OTHER_PASSWORD = "another good password";

  @TempDir static Path root;
  static final MovableClock clock = new MovableClock(System.currentTimeMillis());
  static RunningDashboard dashboard;

  @BeforeAll
  static void start() throws Exception {
    Users users = Users.of(Map.of("ops", Users.hash(PASSWORD.toCharArray()), "alice", Users.hash(OTHER_PASSWORD.toCharArray())));
    dashboard = RunningDashboard.start(root, 1, 2_000, users, Optional.empty(), clock, RunningDashboard.settings(100));
  }

  @AfterAll
  static void stop() throws Exception {
    dashboard.close();
  }

  @Test
  void twoHundredWrongPasswordsAreRefusedWith429AndTheRightOneWorksAfterTheLockout() throws Exception {
    DashboardClient attacker = new DashboardClient(dashboard.port);
    long checksBefore = dashboard.server.passwordChecks.get();
    List<Integer> statuses = new ArrayList<>();
    long retryAfter = 0;
    for (int i = 0; i < 200; i++) {
      HttpResponse<String> response = attacker.login("ops", "guess-" + i);
      statuses.add(response.statusCode());
      if (response.statusCode() == 429) {
        retryAfter = Long.parseLong(response.headers().firstValue("Retry-After").orElseThrow());
        assertThat(response.body()).contains("Too many failed logins: try again in " + retryAfter + " s.");
      }
    }
    int free = LoginThrottle.Policy.DEFAULT.userFreeFailures();
    assertThat(statuses.subList(0, free + 1)).containsOnly(401);
    assertThat(statuses.subList(free + 1, 200)).containsOnly(429);
    assertThat(retryAfter).isEqualTo(1);
    // bcrypt ran for the attempts let through, not for the 194 refused ones.
    assertThat(dashboard.server.passwordChecks.get() - checksBefore).isEqualTo(free + 1);

    // While locked even the right password is refused unchecked.
    assertThat(attacker.login("ops", PASSWORD).statusCode()).isEqualTo(429);

    // Another client, on another address, logging in as another user is not held up.
    assertThat(loginFrom(InetAddress.getByName("127.0.0.2"), "alice", OTHER_PASSWORD)).isEqualTo(303);

    clock.advanceMs(retryAfter * 1000);
    DashboardClient operator = new DashboardClient(dashboard.port);
    assertThat(operator.login("ops", PASSWORD).statusCode()).isEqualTo(303);
    assertThat(operator.getJson("/api/me").get("user").asText()).isEqualTo("ops");
  }

  @Test
  void behindATrustedProxyTheForwardedAddressIsTheClients(@TempDir Path proxiedRoot) throws Exception {
    Users users = Users.of(Map.of("ops", Users.hash(PASSWORD.toCharArray())));
    try (RunningDashboard proxied = RunningDashboard.start(proxiedRoot, 1, 2_000, users, Optional.empty(),
        new MovableClock(System.currentTimeMillis()), RunningDashboard.settings(100).withTrustedProxy("127.0.0.1"))) {
      // One client behind the proxy tries many names: its own address runs out of free failures.
      DashboardClient sprayer = new DashboardClient(proxied.port).withHeader("X-Forwarded-For", "10.9.9.9, 198.51.100.7");
      int free = LoginThrottle.Policy.DEFAULT.addressFreeFailures();
      for (int i = 0; i <= free; i++) {
        assertThat(sprayer.login("nobody-" + i, "guess").statusCode()).isEqualTo(401);
      }
      assertThat(sprayer.login("nobody-x", "guess").statusCode()).isEqualTo(429);
      // Everyone else comes through the same proxy, from other addresses, and is not held up.
      DashboardClient operator = new DashboardClient(proxied.port).withHeader("X-Forwarded-For", "198.51.100.8");
      assertThat(operator.login("someone", "guess").statusCode()).isEqualTo(401);
      assertThat(operator.login("ops", PASSWORD).statusCode()).isEqualTo(303);
    }
  }

  @Test
  void withoutATrustedProxyAForgedForwardedForChangesNothing(@TempDir Path directRoot) throws Exception {
    Users users = Users.of(Map.of("ops", Users.hash(PASSWORD.toCharArray())));
    try (RunningDashboard direct = RunningDashboard.start(directRoot, 1, 2_000, users, Optional.empty(),
        new MovableClock(System.currentTimeMillis()), RunningDashboard.settings(100))) {
      int free = LoginThrottle.Policy.DEFAULT.addressFreeFailures();
      for (int i = 0; i <= free; i++) {
        DashboardClient client = new DashboardClient(direct.port).withHeader("X-Forwarded-For", "203.0.113." + i);
        assertThat(client.login("nobody-" + i, "guess").statusCode()).isEqualTo(401);
      }
      DashboardClient next = new DashboardClient(direct.port).withHeader("X-Forwarded-For", "203.0.113.200");
      assertThat(next.login("nobody-x", "guess").statusCode()).isEqualTo(429);
    }
  }

  /**
   * Fetches the login form and posts it over sockets bound to {@code local}, as a client on another
   * address; returns the status of the post.
   */
  static int loginFrom(InetAddress local, String user, String password) throws Exception {
    List<String> form = exchange(local, "GET /login HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    String cookie = form.stream().filter(line -> line.startsWith("Set-Cookie: "))
        .map(line -> line.substring("Set-Cookie: ".length(), line.indexOf(';'))).findFirst().orElseThrow();
    Matcher token = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(String.join("\n", form));
    assertThat(token.find()).isTrue();
    String body = "user=" + URLEncoder.encode(user, UTF_8) + "&password=" + URLEncoder.encode(password, UTF_8)
        + "&_csrf=" + URLEncoder.encode(token.group(1), UTF_8);
    List<String> answer = exchange(local, "POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        + "Cookie: " + cookie + "\r\nContent-Type: application/x-www-form-urlencoded\r\n"
        + "Content-Length: " + body.getBytes(UTF_8).length + "\r\n\r\n" + body);
    return Integer.parseInt(answer.get(0).split(" ")[1]);
  }

  /** Sends one request from {@code local} and reads the whole response, line by line. */
  private static List<String> exchange(InetAddress local, String request) throws Exception {
    try (Socket socket = new Socket()) {
      socket.bind(new InetSocketAddress(local, 0));
      socket.connect(new InetSocketAddress("127.0.0.1", dashboard.port));
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(UTF_8));
      out.flush();
      return new BufferedReader(new InputStreamReader(socket.getInputStream(), UTF_8)).lines().toList();
    }
  }
}
