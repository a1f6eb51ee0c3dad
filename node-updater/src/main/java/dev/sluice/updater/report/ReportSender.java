package dev.sluice.updater.report;

import dev.sluice.core.git.RemoteUrls;
import dev.sluice.core.json.Json;
import dev.sluice.core.report.NodeReport;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts a run's report to the fleet dashboard ({@code BASE_URL/api/reports}) with a short timeout.
 * A failed report is logged and returned as a warning; it never changes the run's outcome.
 */
public final class ReportSender {

  public static final Duration TIMEOUT = Duration.ofSeconds(5);

  private static final Logger LOG = LoggerFactory.getLogger(ReportSender.class);

  private final URI endpoint;
  private final Optional<String> token;
  private final HttpClient client;

  /**
   * @param baseUrl the dashboard's base URL, e.g. {@code http://fleet.example:8080}
   * @param token sent as {@code Authorization: Bearer} when the dashboard requires one
   */
  public ReportSender(String baseUrl, Optional<String> token) {
    this.endpoint = endpointFor(baseUrl);
    this.token = token;
    this.client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
  }

  static URI endpointFor(String baseUrl) {
    String base = baseUrl.strip();
    if (!base.startsWith("http://") && !base.startsWith("https://")) {
      throw new IllegalArgumentException(
          "--report-to '" + RemoteUrls.redact(baseUrl) + "' is not an http(s) URL");
    }
    try {
      return URI.create(base.replaceAll("/+$", "") + "/api/reports");
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "--report-to '" + RemoteUrls.redact(baseUrl) + "' is not a valid URL");
    }
  }

  /** Sends the report; empty on success, else a one-line warning. */
  public Optional<String> send(NodeReport report) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(endpoint)
            .timeout(TIMEOUT)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(Json.write(report)));
    token.ifPresent(t -> request.header("Authorization", "Bearer " + t));
    try {
      HttpResponse<String> response =
          client.send(request.build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() / 100 == 2) {
        LOG.info("reported the run to {}", RemoteUrls.redact(endpoint.toString()));
        return Optional.empty();
      }
      return warn(
          endpoint
              + " refused the report: HTTP "
              + response.statusCode()
              + " "
              + abbreviate(response.body()));
    } catch (IOException e) {
      return warn(
          "cannot report to "
              + endpoint
              + ": "
              + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return warn("reporting to " + endpoint + " was interrupted");
    }
  }

  private static Optional<String> warn(String message) {
    String shown = RemoteUrls.redact(message);
    LOG.warn(shown);
    return Optional.of(shown);
  }

  private static String abbreviate(String body) {
    String line = body == null ? "" : body.strip().replaceAll("\\s+", " ");
    return line.length() > 200 ? line.substring(0, 200) + "..." : line;
  }
}
