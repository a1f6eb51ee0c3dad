package dev.sluice.web.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.json.Json;
import dev.sluice.core.slots.SlotDecision;
import dev.sluice.web.fleet.StoreException;
import dev.sluice.web.slots.SlotService;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The FleetLock protocol, as Zincati speaks it: {@code POST /v1/pre-reboot} takes an update slot,
 * {@code POST /v1/steady-state} gives it back. A request carries the header {@code
 * fleet-lock-protocol: true} and the body {@code {"client_params": {"id": "...", "group": "..."}}};
 * 200 means done, anything else failed, with a body {@code {"kind": "...", "value": "..."}} whose
 * {@code kind} is one of a few fixed words.
 *
 * <p>When fleet-web has an ingest token, these endpoints need it too: as a bearer token, or as the
 * password of HTTP basic authentication (any user name), which clients that only take a URL can
 * send as {@code https://node:TOKEN@host/}.
 */
public final class FleetLockHandler {

  /** The header every FleetLock request carries, with the value {@code true}. */
  public static final String HEADER = "fleet-lock-protocol";

  /** The largest request body read: a FleetLock body is a few dozen bytes. */
  static final int MAX_BODY_BYTES = 4096;

  /** The longest client id or group accepted. */
  static final int MAX_NAME = 200;

  /** FleetLock's group alphabet, plus the underscore that Sluice group names may use. */
  static final Pattern GROUP = Pattern.compile("[A-Za-z0-9._-]{1," + MAX_NAME + "}");

  private static final Logger LOG = LoggerFactory.getLogger(FleetLockHandler.class);

  private final SlotService slots;
  private final BearerToken token;
  private final Clock clock;

  FleetLockHandler(SlotService slots, BearerToken token, Clock clock) {
    this.slots = slots;
    this.token = token;
    this.clock = clock;
  }

  /**
   * Serves the FleetLock endpoints (and {@code GET /api/slots}) on an unstarted server.
   *
   * @param ingestToken the token nodes post reports with; when present, FleetLock requests need it
   * @param clock the server's clock, for {@code Retry-After}
   */
  public static void install(
      Javalin app, SlotService slots, Optional<String> ingestToken, Clock clock) {
    FleetLockHandler handler =
        new FleetLockHandler(slots, new BearerToken(ingestToken, "fleet-lock"), clock);
    app.post("/v1/pre-reboot", handler::preReboot);
    app.post("/v1/steady-state", handler::steadyState);
    app.get("/api/slots", ctx -> ctx.json(slots.view()));
  }

  /** A client's identity from a request body. */
  record ClientParams(String id, String group) {}

  /** A refusal in FleetLock's error format. */
  private static final class Refusal extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient HttpStatus status;
    private final String kind;

    Refusal(HttpStatus status, String kind, String value) {
      super(value, null, false, false);
      this.status = status;
      this.kind = kind;
    }
  }

  void preReboot(Context ctx) {
    handle(
        ctx,
        () -> {
          ClientParams client = read(ctx);
          SlotDecision decision = slots.acquire(client.group(), client.id());
          if (decision.granted()) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("id", client.id());
            body.put("group", client.group());
            body.put(
                "outcome",
                decision.outcome() == SlotDecision.Outcome.RENEWED ? "renewed" : "granted");
            body.put("expiresAt", decision.slot().expiresAt());
            body.put("value", decision.message());
            ctx.status(HttpStatus.OK).json(body);
            return;
          }
          Instant retryAt = decision.retryAt();
          if (retryAt != null) {
            long seconds = Math.max(1, Duration.between(clock.instant(), retryAt).toSeconds());
            ctx.header("Retry-After", String.valueOf(seconds));
          }
          if (decision.outcome() == SlotDecision.Outcome.REFUSED_RATE) {
            throw new Refusal(
                HttpStatus.TOO_MANY_REQUESTS, "failed_lock_rate_limited", decision.message());
          }
          throw new Refusal(HttpStatus.CONFLICT, "failed_lock_semaphore_full", decision.message());
        });
  }

  void steadyState(Context ctx) {
    handle(
        ctx,
        () -> {
          ClientParams client = read(ctx);
          boolean released = slots.release(client.group(), client.id());
          Map<String, Object> body = new LinkedHashMap<>();
          body.put("id", client.id());
          body.put("group", client.group());
          body.put("released", released);
          ctx.status(HttpStatus.OK).json(body);
        });
  }

  private void handle(Context ctx, Runnable work) {
    try {
      try {
        token.requireBearerOrBasic(ctx);
      } catch (HttpProblem e) {
        throw new Refusal(e.status(), "unauthorized", e.getMessage());
      }
      work.run();
    } catch (Refusal e) {
      error(ctx, e.status, e.kind, e.getMessage());
    } catch (SlotService.LimitsUnknown e) {
      error(ctx, HttpStatus.SERVICE_UNAVAILABLE, "failed_lock_no_policy", e.getMessage());
    } catch (StoreException e) {
      LOG.error("database error on {}: {}", ctx.path(), e.getMessage());
      error(ctx, HttpStatus.SERVICE_UNAVAILABLE, "failed_lock_database", e.getMessage());
    }
  }

  private static void error(Context ctx, HttpStatus status, String kind, String value) {
    Map<String, String> body = new LinkedHashMap<>();
    body.put("kind", kind);
    body.put("value", value);
    ctx.status(status).json(body);
  }

  /** Reads and checks the header and the body. */
  static ClientParams read(Context ctx) {
    if (!"true".equals(ctx.header(HEADER))) {
      throw new Refusal(
          HttpStatus.BAD_REQUEST,
          "failed_lock_protocol",
          "a FleetLock request needs the header '" + HEADER + ": true'");
    }
    byte[] bytes = body(ctx);
    JsonNode root;
    try {
      root = Json.mapper().readTree(bytes);
    } catch (java.io.IOException e) {
      throw new Refusal(
          HttpStatus.BAD_REQUEST,
          "failed_lock_bad_request",
          "the body is not JSON: " + firstLine(e));
    }
    JsonNode params = root == null ? null : root.get("client_params");
    if (params == null || !params.isObject()) {
      throw new Refusal(
          HttpStatus.BAD_REQUEST,
          "failed_lock_bad_request",
          "the body needs {\"client_params\": {\"id\": \"...\", \"group\": \"...\"}}");
    }
    String id = text(params, "id");
    if (id == null
        || id.isBlank()
        || id.length() > MAX_NAME
        || id.chars().anyMatch(Character::isISOControl)) {
      throw new Refusal(
          HttpStatus.BAD_REQUEST,
          "failed_lock_bad_request",
          "client_params.id must be a non-empty string of at most "
              + MAX_NAME
              + " printable characters");
    }
    String group = text(params, "group");
    if (group == null || !GROUP.matcher(group).matches()) {
      throw new Refusal(
          HttpStatus.BAD_REQUEST,
          "failed_lock_bad_request",
          "client_params.group must match [A-Za-z0-9._-]{1," + MAX_NAME + "}");
    }
    return new ClientParams(id, group);
  }

  /**
   * The body, read in as few calls as its length allows: the server's minimum upload rate is
   * checked on every read after the first bytes arrived, and a body of a few dozen bytes read in a
   * second call on a busy machine would fall below it.
   */
  private static byte[] body(Context ctx) {
    long length = ctx.req().getContentLengthLong();
    if (length > MAX_BODY_BYTES) {
      throw new Refusal(
          HttpStatus.CONTENT_TOO_LARGE,
          "failed_lock_bad_request",
          "the body has " + length + " bytes, at most " + MAX_BODY_BYTES);
    }
    byte[] bytes;
    try {
      bytes =
          ctx.req().getInputStream().readNBytes(length >= 0 ? (int) length : MAX_BODY_BYTES + 1);
    } catch (java.io.IOException e) {
      throw new Refusal(
          HttpStatus.BAD_REQUEST, "failed_lock_bad_request", "the body cannot be read: " + e);
    }
    if (bytes.length > MAX_BODY_BYTES) {
      throw new Refusal(
          HttpStatus.CONTENT_TOO_LARGE,
          "failed_lock_bad_request",
          "the body has more than " + MAX_BODY_BYTES + " bytes");
    }
    return bytes;
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value != null && value.isTextual() ? value.textValue() : null;
  }

  private static String firstLine(Exception e) {
    String message =
        e instanceof JsonProcessingException json ? json.getOriginalMessage() : e.getMessage();
    if (message == null) {
      return "unreadable";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
