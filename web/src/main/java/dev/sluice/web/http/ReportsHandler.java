package dev.sluice.web.http;

import dev.sluice.core.report.NodeReport;
import dev.sluice.web.fleet.FleetStore;
import dev.sluice.web.fleet.InvalidReportException;
import dev.sluice.web.fleet.ReceivedReport;
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
  private final RateLimitedLog rejections;

  ReportsHandler(ReportValidator validator, ReportWriter writer, BearerToken token, Clock clock) {
    this.validator = validator;
    this.writer = writer;
    this.token = token;
    this.clock = clock;
    this.rejections = new RateLimitedLog(LOG, Clock.systemUTC(), Duration.ofSeconds(10));
  }

  void post(Context ctx) {
    try {
      token.require(ctx);
      byte[] body = readLimited(ctx);
      NodeReport report = validator.validate(body);
      FleetStore.Outcome outcome =
          writer.submit(new ReceivedReport(report, clock.instant())).get(30, TimeUnit.SECONDS);
      ctx.json(
          outcome == FleetStore.Outcome.STORED
              ? Map.of("node", report.node(), "stored", true)
              : Map.of(
                  "node",
                  report.node(),
                  "stored",
                  false,
                  "reason",
                  "older than the node's last stored report"));
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
