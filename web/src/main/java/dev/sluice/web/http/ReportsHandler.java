package dev.sluice.web.http;

import dev.sluice.core.report.NodeReport;
import dev.sluice.core.report.ReportSignature;
import dev.sluice.web.fleet.InvalidReportException;
import dev.sluice.web.fleet.ReceivedReport;
import dev.sluice.web.fleet.ReportSigner;
import dev.sluice.web.fleet.ReportStore;
import dev.sluice.web.fleet.ReportValidator;
import dev.sluice.web.fleet.ReportWriter;
import dev.sluice.web.fleet.StoreException;
import dev.sluice.web.metrics.FleetMetrics;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.BadMessageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code POST /api/reports}: a node's {@code run --json} object, validated and stored. */
final class ReportsHandler {

  private static final Logger LOG = LoggerFactory.getLogger(ReportsHandler.class);

  private final ReportValidator validator;
  private final ReportWriter writer;
  private final BearerToken token;
  private final Clock clock;
  private final boolean requireSignatures;
  private final Optional<Duration> maxReportAge;
  private final UploadLimiter uploads;
  private final FleetMetrics metrics;
  private final RateLimitedLog rejections;

  ReportsHandler(
      ReportValidator validator,
      ReportWriter writer,
      BearerToken token,
      Clock clock,
      boolean requireSignatures,
      Optional<Duration> maxReportAge,
      UploadLimiter uploads,
      FleetMetrics metrics) {
    this.validator = validator;
    this.writer = writer;
    this.token = token;
    this.clock = clock;
    this.requireSignatures = requireSignatures;
    this.maxReportAge = maxReportAge;
    this.uploads = uploads;
    this.metrics = metrics;
    this.rejections = new RateLimitedLog(LOG, Clock.systemUTC(), Duration.ofSeconds(10));
  }

  void post(Context ctx) {
    try {
      token.require(ctx);
      byte[] body = readLimited(ctx);
      ReportSigner signer = verifiedSigner(ctx, body);
      ReportValidator.Posted posted = validator.read(body);
      NodeReport report = posted.report();
      checkAge(posted);
      ReportStore.Outcome outcome =
          writer
              .submit(new ReceivedReport(report, clock.instant(), signer, posted.sequence()))
              .get(30, TimeUnit.SECONDS);
      switch (outcome) {
        case STORED -> {
          metrics.report("stored");
          ctx.json(Map.of("node", report.node(), "stored", true));
        }
        case OUT_OF_ORDER -> {
          metrics.report("out-of-order");
          ctx.json(
              Map.of(
                  "node",
                  report.node(),
                  "stored",
                  false,
                  "reason",
                  "older than the node's last stored report"));
        }
        case UNSIGNED ->
            throw new HttpProblem(
                HttpStatus.UNAUTHORIZED,
                "node "
                    + report.node()
                    + " has a pinned key: its reports must be signed (an operator can re-enrol"
                    + " a reinstalled node with DELETE /api/nodes/ID/key)");
        case OTHER_KEY ->
            throw new HttpProblem(
                HttpStatus.FORBIDDEN,
                "node "
                    + report.node()
                    + " is pinned to another key than "
                    + signer.fingerprint()
                    + " (an operator can re-enrol a reinstalled node with DELETE"
                    + " /api/nodes/ID/key)");
        case REPLAYED ->
            throw new HttpProblem(
                HttpStatus.CONFLICT,
                "node "
                    + report.node()
                    + (posted.sequence() == null
                        ? " sends numbered reports: a report without a sequence number"
                        : " already sent a report numbered "
                            + posted.sequence()
                            + " or higher: this one")
                    + " is refused as a replay (a node whose state file was restored from an old"
                    + " backup is re-enrolled with DELETE /api/nodes/ID/key)");
      }
    } catch (InvalidReportException e) {
      reject(ctx, HttpStatus.BAD_REQUEST, e.getMessage());
    } catch (HttpProblem e) {
      reject(ctx, e.status(), e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HttpProblem(HttpStatus.SERVICE_UNAVAILABLE, "server is shutting down");
    } catch (ExecutionException | TimeoutException | StoreException e) {
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      LOG.error("report could not be stored: {}", cause.getMessage());
      metrics.report("unavailable");
      throw new HttpProblem(HttpStatus.SERVICE_UNAVAILABLE, "report could not be stored");
    }
  }

  /** A refused report's metric label: a small fixed set, whatever the client sent. */
  private static String refusal(HttpStatus status, String reason) {
    return switch (status) {
      case BAD_REQUEST ->
          reason.startsWith(ReportSignature.PUBLIC_KEY_HEADER)
                  || reason.startsWith("a signed report")
              ? "bad-signature"
              : "invalid";
      case UNAUTHORIZED ->
          reason.contains("token")
              ? "bad-token"
              : reason.contains("does not match") ? "bad-signature" : "unsigned";
      case FORBIDDEN -> "other-key";
      case CONFLICT -> reason.contains("replay") ? "replayed" : "expired";
      case REQUEST_TIMEOUT -> "too-slow";
      case LENGTH_REQUIRED -> "no-length";
      case CONTENT_TOO_LARGE -> "too-large";
      case TOO_MANY_REQUESTS, SERVICE_UNAVAILABLE -> "busy";
      default -> "other";
    };
  }

  /**
   * Refuses a report sent longer ago than the dashboard takes: a report captured and held back
   * cannot be delivered later, after the node's newer ones were lost.
   */
  private void checkAge(ReportValidator.Posted posted) {
    if (posted.sentAt() == null || maxReportAge.isEmpty()) {
      return;
    }
    Instant oldest = clock.instant().minus(maxReportAge.get());
    if (posted.sentAt().isBefore(oldest)) {
      throw new HttpProblem(
          HttpStatus.CONFLICT,
          "the report was sent at "
              + posted.sentAt()
              + ", more than "
              + maxReportAge.get()
              + " before this dashboard's time "
              + clock.instant()
              + ": refused as expired (is the node's clock behind?)");
    }
  }

  /**
   * The key that signed the body, checked before the body is parsed; null for an unsigned report
   * (refused here only when every report must be signed; the store refuses it for a pinned node).
   */
  private ReportSigner verifiedSigner(Context ctx, byte[] body) {
    String signature = ctx.header(ReportSignature.SIGNATURE_HEADER);
    String key = ctx.header(ReportSignature.PUBLIC_KEY_HEADER);
    if (signature == null && key == null) {
      if (requireSignatures) {
        throw new HttpProblem(
            HttpStatus.UNAUTHORIZED,
            "reports must be signed: headers "
                + ReportSignature.SIGNATURE_HEADER
                + " and "
                + ReportSignature.PUBLIC_KEY_HEADER
                + " are missing");
      }
      return null;
    }
    if (signature == null || key == null) {
      throw new HttpProblem(
          HttpStatus.BAD_REQUEST,
          "a signed report needs both "
              + ReportSignature.SIGNATURE_HEADER
              + " and "
              + ReportSignature.PUBLIC_KEY_HEADER);
    }
    byte[] rawKey;
    try {
      rawKey = SignatureCheck.rawKey(key);
    } catch (IllegalArgumentException e) {
      throw new HttpProblem(
          HttpStatus.BAD_REQUEST, ReportSignature.PUBLIC_KEY_HEADER + ": " + e.getMessage());
    }
    if (!SignatureCheck.verify(rawKey, body, signature)) {
      throw new HttpProblem(
          HttpStatus.UNAUTHORIZED, "the report's signature does not match its body and key");
    }
    String canonical = SignatureCheck.encode(rawKey);
    return new ReportSigner(
        canonical, ReportSignature.fingerprint(Base64.getDecoder().decode(canonical)));
  }

  private void reject(Context ctx, HttpStatus status, String reason) {
    metrics.report(refusal(status, reason));
    rejections.warn("rejected report from {}: {} {}", ctx.ip(), status.getCode(), reason);
    throw new HttpProblem(status, reason);
  }

  /**
   * Reads the body once the declared size is known to be small enough and an upload slot is free
   * for the client's address: a slow or hostile client holds at most its share of threads, and is
   * refused before it sends anything once it holds them all.
   */
  private byte[] readLimited(Context ctx) {
    long declared = ctx.req().getContentLengthLong();
    if (declared > ReportValidator.MAX_BODY_BYTES) {
      throw tooLarge();
    }
    try (UploadLimiter.Slot slot = uploads.acquire(ctx.ip())) {
      return readBody(ctx);
    } catch (UploadLimiter.Refused e) {
      ctx.header("Retry-After", "5");
      ctx.header("Connection", "close");
      throw e.reason() == UploadLimiter.Refusal.PER_ADDRESS
          ? new HttpProblem(
              HttpStatus.TOO_MANY_REQUESTS,
              "this address already has " + uploads.perAddress() + " reports in flight")
          : new HttpProblem(
              HttpStatus.SERVICE_UNAVAILABLE, "too many reports in flight; try again later");
    }
  }

  private static byte[] readBody(Context ctx) {
    try (InputStream in = ctx.req().getInputStream()) {
      byte[] body = in.readNBytes(ReportValidator.MAX_BODY_BYTES + 1);
      if (body.length > ReportValidator.MAX_BODY_BYTES) {
        throw tooLarge();
      }
      return body;
    } catch (IOException | BadMessageException e) {
      // A stalled or too slow body (Jetty's idle timeout and minimum data rate), or a client
      // that went away.
      throw new HttpProblem(HttpStatus.REQUEST_TIMEOUT, "the report's body arrived too slowly");
    }
  }

  private static HttpProblem tooLarge() {
    return new HttpProblem(
        HttpStatus.CONTENT_TOO_LARGE,
        "report is larger than " + ReportValidator.MAX_BODY_BYTES + " bytes");
  }
}
