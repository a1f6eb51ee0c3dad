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
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLContext;
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
  private final Optional<Signing> signing;
  private final HttpClient client;
  private final Clock clock;

  /**
   * What signs one report: the node's key pair and the sequence number reserved for this report in
   * the node's state file.
   */
  public record Signing(KeyPair key, long sequence) {
    public Signing {
      Objects.requireNonNull(key, "key");
      if (sequence < 1) {
        throw new IllegalArgumentException("a report's sequence number starts at 1");
      }
    }
  }

  /**
   * @param baseUrl the dashboard's base URL, e.g. {@code https://fleet.example:8443}
   * @param token sent as {@code Authorization: Bearer} when the dashboard requires one
   * @param trust for an https dashboard, the certificates to trust instead of the JVM's trust store
   *     (a private CA, or the dashboard's self-signed certificate)
   * @param clock the run's clock, for the time the report says it was sent
   */
  public ReportSender(
      String baseUrl, Optional<String> token, Optional<SSLContext> trust, Clock clock) {
    this.endpoint = endpointFor(baseUrl);
    this.token = token;
    this.signing = Optional.empty();
    HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(TIMEOUT);
    trust.ifPresent(builder::sslContext);
    this.client = builder.build();
    this.clock = clock;
  }

  /**
   * An unsigned sender on the system clock that trusts the JVM's trust store; a dashboard that
   * pinned the node's key refuses its reports.
   */
  public ReportSender(String baseUrl, Optional<String> token) {
    this(baseUrl, token, Optional.empty(), Clock.systemUTC());
  }

  /** This sender signing with the node's key and the given sequence (unsigned when empty). */
  public ReportSender signedWith(Optional<Signing> signing) {
    return new ReportSender(endpoint, token, signing, client, clock);
  }

  private ReportSender(
      URI endpoint,
      Optional<String> token,
      Optional<Signing> signing,
      HttpClient client,
      Clock clock) {
    this.endpoint = endpoint;
    this.token = token;
    this.signing = signing;
    this.client = client;
    this.clock = clock;
  }

  /**
   * The node's signing key from its state file (made and stored on first use) and the sequence
   * number of the report about to be sent (reserved in the state file now); empty, with a warning
   * in the log, when the state file cannot give them, since reporting never fails a run.
   */
  public static Optional<Signing> nodeSigning(Path stateFile, Instant now) {
    try (Database database = Database.open(stateFile, now)) {
      NodeKeyStore keys = new NodeKeyStore(database);
      KeyPair key = keys.findOrCreate(now);
      return Optional.of(new Signing(key, keys.nextSequence(now)));
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
    byte[] body = body(report, signing.map(Signing::sequence), clock.instant());
    HttpRequest.Builder request =
        HttpRequest.newBuilder(endpoint)
            .timeout(TIMEOUT)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    token.ifPresent(t -> request.header("Authorization", "Bearer " + t));
    signing
        .map(Signing::key)
        .ifPresent(
            k ->
                request
                    .header(
                        ReportSignature.SIGNATURE_HEADER,
                        ReportSignature.sign(k.getPrivate(), body))
                    .header(
                        ReportSignature.PUBLIC_KEY_HEADER, ReportSignature.encode(k.getPublic())));
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

  /**
   * The report as sent: its JSON after the report schema version, the sequence number (signed
   * reports) and the sending time. The signature covers these bytes, so the dashboard can tell a
   * report sent again from a new one.
   */
  static byte[] body(NodeReport report, Optional<Long> sequence, Instant sentAt) {
    ObjectNode tree = Json.mapper().createObjectNode();
    tree.put(NodeReport.SCHEMA_FIELD, NodeReport.SCHEMA_VERSION);
    sequence.ifPresent(n -> tree.put(NodeReport.SEQUENCE_FIELD, n));
    tree.put(NodeReport.SENT_AT_FIELD, sentAt.toString());
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
