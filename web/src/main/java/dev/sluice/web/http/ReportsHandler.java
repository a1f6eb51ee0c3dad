package dev.sluice.web.http;

import dev.sluice.core.report.NodeReport;
import dev.sluice.core.report.ReportSignature;
import dev.sluice.web.fleet.FleetStore;
import dev.sluice.web.fleet.InvalidReportException;
import dev.sluice.web.fleet.ReceivedReport;
import dev.sluice.web.fleet.ReportSigner;
import dev.sluice.web.fleet.ReportValidator;
import dev.sluice.web.fleet.ReportWriter;
import dev.sluice.web.fleet.StoreException;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
  private final RateLimitedLog rejections;

  ReportsHandler(
      ReportValidator validator,
      ReportWriter writer,
      BearerToken token,
      Clock clock,
      boolean requireSignatures) {
    this.validator = validator;
    this.writer = writer;
    this.token = token;
    this.clock = clock;
    this.requireSignatures = requireSignatures;
    this.rejections = new RateLimitedLog(LOG, Clock.systemUTC(), Duration.ofSeconds(10));
  }

  void post(Context ctx) {
    try {
      token.require(ctx);
      byte[] body = readLimited(ctx);
      ReportSigner signer = verifiedSigner(ctx, body);
      NodeReport report = validator.validate(body);
      FleetStore.Outcome outcome =
          writer
              .submit(new ReceivedReport(report, clock.instant(), signer))
              .get(30, TimeUnit.SECONDS);
      switch (outcome) {
        case STORED -> ctx.json(Map.of("node", report.node(), "stored", true));
        case OUT_OF_ORDER ->
            ctx.json(
                Map.of(
                    "node",
                    report.node(),
                    "stored",
                    false,
                    "reason",
                    "older than the node's last stored report"));
        case UNSIGNED ->
            reject(
                ctx,
                HttpStatus.UNAUTHORIZED,
                "node "
                    + report.node()
                    + " has a pinned key: its reports must be signed (an operator can re-enrol"
                    + " a reinstalled node with DELETE /api/nodes/ID/key)");
        case OTHER_KEY ->
            reject(
                ctx,
                HttpStatus.FORBIDDEN,
                "node "
                    + report.node()
                    + " is pinned to another key than "
                    + signer.fingerprint()
                    + " (an operator can re-enrol a reinstalled node with DELETE"
                    + " /api/nodes/ID/key)");
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
      throw new HttpProblem(HttpStatus.SERVICE_UNAVAILABLE, "report could not be stored");
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
    rejections.warn("rejected report from {}: {} {}", ctx.ip(), status.getCode(), reason);
    throw new HttpProblem(status, reason);
  }

  private static byte[] readLimited(Context ctx) {
    long declared = ctx.req().getContentLengthLong();
    if (declared > ReportValidator.MAX_BODY_BYTES) {
      throw tooLarge();
    }
    try (InputStream in = ctx.req().getInputStream()) {
      byte[] body = in.readNBytes(ReportValidator.MAX_BODY_BYTES + 1);
      if (body.length > ReportValidator.MAX_BODY_BYTES) {
        throw tooLarge();
      }
      return body;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static HttpProblem tooLarge() {
    return new HttpProblem(
        HttpStatus.CONTENT_TOO_LARGE,
        "report is larger than " + ReportValidator.MAX_BODY_BYTES + " bytes");
  }
}
