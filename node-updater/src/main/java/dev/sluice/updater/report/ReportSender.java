package dev.sluice.updater.report;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.git.RemoteUrls;
import dev.sluice.core.json.Json;
import dev.sluice.core.report.NodeReport;
import dev.sluice.core.report.ReportSignature;
import dev.sluice.updater.state.Database;
import dev.sluice.updater.state.NodeKeyStore;
import dev.sluice.updater.state.StateException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts a run's report to the fleet dashboard ({@code BASE_URL/api/reports}) with a short timeout.
 * A failed report is logged and returned as a warning; it never changes the run's outcome.
 *
 * <p>With the node's key pair, every report is signed ({@link ReportSignature}): the signature of
 * the exact body bytes and the public key travel in headers, and the dashboard pins the key to the
 * node id the first time it sees it.
 */
public final class ReportSender {

  public static final Duration TIMEOUT = Duration.ofSeconds(5);

  private static final Logger LOG = LoggerFactory.getLogger(ReportSender.class);

  private final URI endpoint;
  private final Optional<String> token;
  private final Optional<KeyPair> key;
  private final HttpClient client;

  /** An unsigned sender; a dashboard that pinned the node's key refuses its reports. */
  public ReportSender(String baseUrl, Optional<String> token) {
    this(baseUrl, token, Optional.empty());
  }

  /**
   * @param baseUrl the dashboard's base URL, e.g. {@code http://fleet.example:8080}
   * @param token sent as {@code Authorization: Bearer} when the dashboard requires one
   * @param key the node's key pair that signs every report
   */
  public ReportSender(String baseUrl, Optional<String> token, Optional<KeyPair> key) {
    this.endpoint = endpointFor(baseUrl);
    this.token = token;
    this.key = key;
    this.client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
  }

  /** This sender signing with {@code key} (unsigned when empty). */
  public ReportSender signedWith(Optional<KeyPair> key) {
    return new ReportSender(endpoint, token, key, client);
  }

  private ReportSender(
      URI endpoint, Optional<String> token, Optional<KeyPair> key, HttpClient client) {
    this.endpoint = endpoint;
    this.token = token;
    this.key = key;
    this.client = client;
  }

  /**
   * The node's signing key from its state file, made and stored on first use; empty (and a warning
   * in the log) when the state file cannot give one, since reporting never fails a run.
   */
  public static Optional<KeyPair> nodeKey(Path stateFile, Instant now) {
    try (Database database = Database.open(stateFile, now)) {
      return Optional.of(new NodeKeyStore(database).findOrCreate(now));
    } catch (StateException e) {
      LOG.warn("reports go unsigned: {}", e.getMessage());
      return Optional.empty();
    }
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
    byte[] body = body(report);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(endpoint)
            .timeout(TIMEOUT)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    token.ifPresent(t -> request.header("Authorization", "Bearer " + t));
    key.ifPresent(
        k ->
            request
                .header(
                    ReportSignature.SIGNATURE_HEADER, ReportSignature.sign(k.getPrivate(), body))
                .header(ReportSignature.PUBLIC_KEY_HEADER, ReportSignature.encode(k.getPublic())));
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

  /** The report as sent: its JSON with the report schema version as the first field. */
  static byte[] body(NodeReport report) {
    ObjectNode tree = Json.mapper().createObjectNode();
    tree.put(NodeReport.SCHEMA_FIELD, NodeReport.SCHEMA_VERSION);
    tree.setAll((ObjectNode) Json.mapper().valueToTree(report));
    return Json.write(tree).getBytes(StandardCharsets.UTF_8);
  }

  private static Optional<String> warn(String message) {
    String shown = RemoteUrls.redactIn(message);
    LOG.warn(shown);
    return Optional.of(shown);
  }

  private static String abbreviate(String body) {
    String line = body == null ? "" : body.strip().replaceAll("\\s+", " ");
    return line.length() > 200 ? line.substring(0, 200) + "..." : line;
  }
}
