package io.caudal.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A plain HTTP client of the dashboard for tests: no redirects followed, the session cookie by hand,
 * and the CSRF tokens as the pages carry them (the login form's, then the session's on every POST).
 */
final class DashboardClient {

  static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
  private final String base;
  private String cookie;
  private String csrfToken;
  private final java.util.Map<String, String> extraHeaders = new java.util.LinkedHashMap<>();

  DashboardClient(int port) {
    this.base = "http://127.0.0.1:" + port;
  }

  /** Fetches the login form, then posts it with its token; returns the response (303 to / on success). */
  HttpResponse<String> login(String user, String password) throws IOException, InterruptedException {
    HttpResponse<String> form = get("/login");
    Matcher token = FORM_TOKEN.matcher(form.body());
    if (!token.find()) {
      throw new AssertionError("the login page has no CSRF field: " + form.body());
    }
    String loginCookie = cookieOf(form, DashboardServer.LOGIN_COOKIE)
        .orElseThrow(() -> new AssertionError("the login page set no cookie"));
    return postLogin(user, password, token.group(1), loginCookie);
  }

  /** Posts the login form with a token and cookie of the caller's (a forged form). */
  HttpResponse<String> postLogin(String user, String password, String formToken, String loginCookie)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "/login"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(
            "user=" + URLEncoder.encode(user, StandardCharsets.UTF_8)
                + "&password=" + URLEncoder.encode(password, StandardCharsets.UTF_8)
                + (formToken == null ? "" : "&_csrf=" + URLEncoder.encode(formToken, StandardCharsets.UTF_8))));
    if (loginCookie != null) {
      request.header("Cookie", loginCookie);
    }
    extraHeaders.forEach(request::header);
    HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() == 303) {
      cookie = cookieOf(response, DashboardServer.SESSION_COOKIE).orElseThrow();
      csrfToken = getJson("/api/me").get("csrfToken").asText();
    }
    return response;
  }

  /** From here on, POSTs carry this CSRF token header (null: none), as a forged cross-site request would. */
  void useCsrfToken(String token) {
    csrfToken = token;
  }

  /** The Set-Cookie header of the named cookie. */
  static Optional<String> setCookie(HttpResponse<?> response, String name) {
    return response.headers().allValues("Set-Cookie").stream().filter(value -> value.startsWith(name + "=")).findFirst();
  }

  /** {@code name=value} of the named cookie the response sets. */
  static Optional<String> cookieOf(HttpResponse<?> response, String name) {
    return setCookie(response, name).map(value -> value.substring(0, value.indexOf(';')));
  }

  private static final Pattern FORM_TOKEN = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

  HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
  }

  JsonNode getJson(String path) throws IOException, InterruptedException {
    HttpResponse<String> response = get(path);
    if (response.statusCode() != 200) {
      throw new AssertionError("GET " + path + " answered " + response.statusCode() + ": " + response.body());
    }
    return JSON.readTree(response.body());
  }

  HttpResponse<String> postJson(String path, String json) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(URI.create(base + path))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  HttpResponse<String> putJson(String path, String json) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(URI.create(base + path))
        .header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString(json)));
  }

  HttpResponse<String> delete(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(URI.create(base + path)).DELETE());
  }

  HttpResponse<String> postSql(String sql) throws IOException, InterruptedException {
    return postJson("/api/sql", JSON.writeValueAsString(java.util.Map.of("sql", sql)));
  }

  HttpResponse<String> postForm(String path, String field, String value) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(URI.create(base + path))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(field + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8))));
  }

  /** Posts a form of name, value pairs. */
  HttpResponse<String> postFormFields(String path, String... namesAndValues) throws IOException, InterruptedException {
    StringBuilder body = new StringBuilder();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      body.append(i == 0 ? "" : "&").append(namesAndValues[i]).append('=')
          .append(URLEncoder.encode(namesAndValues[i + 1], StandardCharsets.UTF_8));
    }
    return send(HttpRequest.newBuilder(URI.create(base + path))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
  }

  /** Sends this header with every request from now on (as a proxy in front would add it). */
  DashboardClient withHeader(String name, String value) {
    extraHeaders.put(name, value);
    return this;
  }

  /** The session's CSRF token, as /api/me gave it at login. */
  String csrfToken() {
    return csrfToken;
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
    if (cookie != null) {
      request.header("Cookie", cookie);
    }
    if (csrfToken != null) {
      request.header("X-CSRF-Token", csrfToken);
    }
    extraHeaders.forEach(request::header);
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
