package dev.sluice.updater.serve;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.sluice.core.json.Json;
import dev.sluice.updater.state.StateException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's read-only info endpoint: {@code GET /info} (JSON), {@code GET /metrics} (Prometheus
 * text format) and {@code GET /healthz}. Small on purpose: the JDK's own HTTP server, threads only
 * while requests are in flight (no web framework's classes or thread pool on every node), no
 * sessions, every answer read fresh from the state file. A request that has not arrived within 10
 * s, or an answer not taken within 10 s, closes its connection, so a slow client holds nothing for
 * long.
 */
public final class NodeServer implements AutoCloseable {

  static final String JSON = "application/json";

  /** The most requests answered at once. */
  static final int WORKERS = 16;

  private static final Logger LOG = LoggerFactory.getLogger(NodeServer.class);

  static {
    // Read once by the JDK's server when its first instance is made: bound how long one request
    // may take to arrive and one answer to leave (seconds), unless the JVM was told otherwise.
    for (String property :
        new String[] {"sun.net.httpserver.maxReqTime", "sun.net.httpserver.maxRspTime"}) {
      if (System.getProperty(property) == null) {
        System.setProperty(property, "10");
      }
    }
  }

  private final HttpServer server;
  private final ExecutorService workers;

  private NodeServer(HttpServer server, ExecutorService workers) {
    this.server = server;
    this.workers = workers;
  }

  /**
   * Starts serving on {@code bind:port} (port 0: a free one).
   *
   * @throws UncheckedIOException when the address cannot be bound
   */
  public static NodeServer start(NodeInfoService info, String bind, int port) {
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(bind, port), 16);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on " + bind + ":" + port + ": " + e, e);
    }
    server.createContext(
        "/healthz", ex -> handle(ex, JSON, () -> Json.write(Map.of("status", "ok"))));
    server.createContext("/info", ex -> handle(ex, JSON, () -> Json.writePretty(info.read())));
    server.createContext(
        "/metrics",
        ex -> handle(ex, NodeMetrics.CONTENT_TYPE, () -> NodeMetrics.render(info.read())));
    // Threads only while requests are in flight (none when idle), at most WORKERS at once: the
    // JDK's server reads a request's headers on the worker, so a client that sends them slowly
    // holds one until maxReqTime; more than WORKERS such clients get their connections closed.
    // (A queue in front would need WORKERS threads kept alive: each costs resident memory on
    // every node, for an endpoint that answers a scrape now and then.)
    ThreadPoolExecutor workers =
        new ThreadPoolExecutor(
            0,
            WORKERS,
            30,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            r -> {
              Thread thread = new Thread(r, "node-serve");
              thread.setDaemon(true);
              return thread;
            });
    server.setExecutor(workers);
    server.start();
    return new NodeServer(server, workers);
  }

  /** The port it listens on. */
  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    workers.shutdown();
    try {
      workers.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** What one endpoint answers; a {@link StateException} means the state cannot be read. */
  private interface Body {
    String render();
  }

  /** Only {@code GET}/{@code HEAD} of the exact path: the JDK's contexts also match sub-paths. */
  private static void handle(HttpExchange ex, String type, Body body) throws IOException {
    try (ex) {
      String method = ex.getRequestMethod();
      if (!ex.getRequestURI().getPath().equals(ex.getHttpContext().getPath())) {
        send(ex, 404, JSON, Json.write(Map.of("error", "not found")));
      } else if (!method.equals("GET") && !method.equals("HEAD")) {
        ex.getResponseHeaders().set("Allow", "GET, HEAD");
        send(ex, 405, JSON, Json.write(Map.of("error", "method not allowed")));
      } else {
        String text;
        try {
          text = body.render();
        } catch (StateException e) {
          send(ex, 503, JSON, Json.write(Map.of("error", e.getMessage())));
          return;
        } catch (RuntimeException e) {
          LOG.warn("{} failed: {}", ex.getRequestURI().getPath(), e.toString());
          send(ex, 500, JSON, Json.write(Map.of("error", "internal error")));
          return;
        }
        send(ex, 200, type, text);
      }
    }
  }

  private static void send(HttpExchange ex, int status, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", type);
    boolean head = ex.getRequestMethod().equals("HEAD");
    ex.sendResponseHeaders(status, head ? -1 : bytes.length);
    if (!head) {
      try (OutputStream out = ex.getResponseBody()) {
        out.write(bytes);
      }
    }
  }
}
