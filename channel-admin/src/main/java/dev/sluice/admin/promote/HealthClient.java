package dev.sluice.admin.promote;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.sluice.core.json.Json;
import dev.sluice.core.promotion.HealthEvidence;
import dev.sluice.core.promotion.HealthReport;
import dev.sluice.core.promotion.HealthUnavailable;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Asks the fleet dashboard how the candidate does on preprod: {@code GET
 * <base>/api/promotion-health?commit=<sha>&releasedAt=<instant>} answering a {@link HealthReport}
 * that counts only nodes known before the release which reported the candidate after it. Every
 * failure (no answer, an error status, a malformed or mismatched body) becomes {@link
 * HealthUnavailable}, which the health gate refuses.
 */
public final class HealthClient {

  /** The dashboard path that serves {@link HealthReport}s. */
  public static final String PATH = "/api/promotion-health";

  private static final int MAX_BODY = 64 * 1024;

  private final HttpClient http;
  private final Duration timeout;

  public HealthClient(HttpClient http, Duration timeout) {
    this.http = Objects.requireNonNull(http, "http");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
  }

  public static HealthClient withDefaults() {
    return new HealthClient(
        HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build(),
        Duration.ofSeconds(20));
  }

  /**
   * The health evidence for a commit from the dashboard at {@code baseUrl}.
   *
   * @param releasedAt when the candidate was released (its tag time)
   */
  public HealthEvidence fetch(String baseUrl, String commit, Instant releasedAt) {
    URI uri;
    try {
      String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
      uri =
          URI.create(
              base
                  + PATH
                  + "?commit="
                  + URLEncoder.encode(commit, StandardCharsets.UTF_8)
                  + "&releasedAt="
                  + URLEncoder.encode(releasedAt.toString(), StandardCharsets.UTF_8));
      if (uri.getScheme() == null
          || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
        return new HealthUnavailable("health URL '" + baseUrl + "' is not an http(s) URL");
      }
    } catch (IllegalArgumentException e) {
      return new HealthUnavailable("health URL '" + baseUrl + "' is not a URL");
    }
    try {
      HttpRequest request =
          HttpRequest.newBuilder(uri)
              .timeout(timeout)
              .header("Accept", "application/json")
              .GET()
              .build();
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        return new HealthUnavailable(uri + " answered HTTP " + response.statusCode());
      }
      String body = response.body();
      if (body.length() > MAX_BODY) {
        return new HealthUnavailable(uri + " answered more than " + MAX_BODY + " characters");
      }
      HealthReport report = Json.mapper().readValue(body, HealthReport.class);
      if (!report.commit().equals(commit)) {
        return new HealthUnavailable(
            uri + " answered for commit " + report.commit() + " instead of " + commit);
      }
      return report;
    } catch (JsonProcessingException e) {
      return new HealthUnavailable(
          uri
              + " answered something that is not a promotion health report: "
              + e.getOriginalMessage());
    } catch (IOException e) {
      return new HealthUnavailable("cannot reach " + uri + ": " + describe(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new HealthUnavailable("interrupted while asking " + uri);
    }
  }

  private static String describe(IOException e) {
    String message = e.getMessage();
    return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
  }
}
