package dev.sluice.updater.serve;

import dev.sluice.core.json.Json;
import dev.sluice.updater.state.StateException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.Map;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The node's read-only info endpoint: {@code GET /info} (JSON), {@code GET /metrics} (Prometheus
 * text format) and {@code GET /healthz}. Small on purpose: a handful of threads, no sessions, every
 * answer read fresh from the state file.
 */
public final class NodeServer {

  private NodeServer() {}

  /** An unstarted server; the caller starts it on its port. */
  public static Javalin create(NodeInfoService info) {
    return Javalin.create(
            config -> {
              config.showJavalinBanner = false;
              config.http.disableCompression();
              config.jetty.threadPool = new QueuedThreadPool(8, 2, 60_000);
              config.useVirtualThreads = false;
            })
        .get("/healthz", ctx -> ctx.json(Map.of("status", "ok")))
        .get(
            "/info",
            ctx -> ctx.contentType("application/json").result(Json.writePretty(info.read())))
        .get(
            "/metrics",
            ctx ->
                ctx.contentType(NodeMetrics.CONTENT_TYPE).result(NodeMetrics.render(info.read())))
        .exception(StateException.class, NodeServer::unavailable);
  }

  private static void unavailable(StateException e, Context ctx) {
    ctx.status(HttpStatus.SERVICE_UNAVAILABLE)
        .contentType("application/json")
        .result(Json.write(Map.of("error", e.getMessage())));
  }
}
