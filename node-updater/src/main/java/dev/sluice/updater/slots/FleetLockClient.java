package dev.sluice.updater.slots;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.git.RemoteUrls;
import dev.sluice.core.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * A FleetLock client for fleet-web: {@code POST BASE/v1/pre-reboot} takes an update slot, {@code
 * POST BASE/v1/steady-state} gives it back. Requests are the ones Zincati sends (the {@code
 * fleet-lock-protocol: true} header and {@code {"client_params": {"id", "group"}}}), with the
 * ingest token as a bearer token when there is one. Every request gives up after {@link #TIMEOUT}
 * so that a node never waits long at boot.
 */
public final class FleetLockClient {

  /** The longest one request may take, connecting included. */
  public static final Duration TIMEOUT = Duration.ofSeconds(5);

  /** What fleet-web answered. */
  public sealed interface Answer {}

  /** 200: done. */
  public record Done(String message) implements Answer {}

  /** A slot was refused: every slot of the lock group is taken, or the hourly rate is spent. */
  public record NoSlot(String kind, String message) implements Answer {}

  /** fleet-web could not be reached or could not answer (an error status, not JSON). */
  public record Unavailable(String message) implements Answer {}

  private final String base;
  private final Optional<String> token;
  private final HttpClient client;

  /**
   * @param baseUrl fleet-web's base URL, e.g. {@code http://fleet.example:8080}
   * @param token the ingest token, sent as {@code Authorization: Bearer}
   * @param trust for an https fleet-web, the certificates to trust instead of the JVM's trust store
   */
  public FleetLockClient(String baseUrl, Optional<String> token, Optional<SSLContext> trust) {
    this.base = baseFor(baseUrl);
    this.token = token;
    HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(TIMEOUT);
    trust.ifPresent(builder::sslContext);
    this.client = builder.build();
  }

  /** A client that trusts the JVM's trust store. */
  public FleetLockClient(String baseUrl, Optional<String> token) {
    this(baseUrl, token, Optional.empty());
  }

  /** The base URL without trailing slashes; refuses what is not an http(s) URL. */
  static String baseFor(String baseUrl) {
    String base = baseUrl.strip().replaceAll("/+$", "");
    if (!base.startsWith("http://") && !base.startsWith("https://")) {
      throw new IllegalArgumentException(
          "--fleet-lock '" + RemoteUrls.redact(baseUrl) + "' is not an http(s) URL");
    }
    try {
      URI.create(base + "/v1/pre-reboot");
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "--fleet-lock '" + RemoteUrls.redact(baseUrl) + "' is not a valid URL");
    }
    return base;
  }

  /** The base URL as printed: without credentials. */
  public String shown() {
    return RemoteUrls.redact(base);
  }

  /** Asks for a slot ({@code RecursiveLock}). */
  public Answer lock(String id, String group) {
    return post("/v1/pre-reboot", id, group);
  }

  /** Gives the slot back ({@code UnlockIfHeld}). */
  public Answer unlock(String id, String group) {
    return post("/v1/steady-state", id, group);
  }

  private Answer post(String path, String id, String group) {
    byte[] body =
        Json.write(Map.of("client_params", Map.of("id", id, "group", group)))
            .getBytes(StandardCharsets.UTF_8);
    URI endpoint = URI.create(base + path);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(endpoint)
            .timeout(TIMEOUT)
            .header("fleet-lock-protocol", "true")
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    token.ifPresent(t -> request.header("Authorization", "Bearer " + t));
    String shown = RemoteUrls.redact(endpoint.toString());
    try {
      HttpResponse<String> response =
          client.send(request.build(), HttpResponse.BodyHandlers.ofString());
      Optional<JsonNode> json = parse(response.body());
      String value = json.map(n -> n.path("value").asText("")).orElse("");
      if (response.statusCode() == 200) {
        return new Done(value);
      }
      String kind = json.map(n -> n.path("kind").asText("")).orElse("");
      if (kind.equals("failed_lock_semaphore_full") || kind.equals("failed_lock_rate_limited")) {
        return new NoSlot(kind, value.isEmpty() ? kind : value);
      }
      return new Unavailable(
          shown
              + " answered HTTP "
              + response.statusCode()
              + (value.isEmpty() ? "" : ": " + abbreviate(value)));
    } catch (IOException e) {
      return new Unavailable(
          "cannot reach "
              + shown
              + ": "
              + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Unavailable("asking " + shown + " was interrupted");
    }
  }

  private static Optional<JsonNode> parse(String body) {
    try {
      JsonNode node = Json.mapper().readTree(body == null ? "" : body);
      return node != null && node.isObject() ? Optional.of(node) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static String abbreviate(String text) {
    String line = text.strip().replaceAll("\\s+", " ");
    return line.length() > 200 ? line.substring(0, 200) + "..." : line;
  }
}
