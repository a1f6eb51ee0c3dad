package dev.sluice.updater.git;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A real smart-HTTP git server on a free loopback port: the JDK's HTTP server in front of {@code
 * git http-backend} (CGI). In {@link Mode#V0_ONLY} it drops the client's {@code Git-Protocol}
 * header, as many proxies and older servers do, so the exchange is protocol v0; in {@link Mode#V2}
 * it passes it on. The other modes answer like broken servers.
 */
final class HttpGitServer implements AutoCloseable {

  enum Mode {
    V0_ONLY,
    V2,
    /** Answers every request with 200 and a page that is not git at all. */
    GARBAGE,
    /** Answers every request with 503 Service Unavailable. */
    UNAVAILABLE
  }

  private final HttpServer server;
  private final ExecutorService executor;

  private HttpGitServer(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  static HttpGitServer serve(Path root, Path home, Mode mode) throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/git/",
        exchange -> {
          try (exchange) {
            switch (mode) {
              case V0_ONLY, V2 -> backend(exchange, root, home, mode == Mode.V2);
              case GARBAGE -> answer(exchange, 200, "<html>hello, this is not git</html>\n");
              case UNAVAILABLE -> answer(exchange, 503, "down for maintenance\n");
            }
          } catch (IOException | RuntimeException e) {
            e.printStackTrace();
          }
        });
    ExecutorService executor = Executors.newCachedThreadPool();
    server.setExecutor(executor);
    server.start();
    return new HttpGitServer(server, executor);
  }

  /** The URL of a repository below the served folder, e.g. {@code remote.git}. */
  String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/git/" + path;
  }

  private static void answer(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/html");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  private static void backend(HttpExchange exchange, Path root, Path home, boolean v2)
      throws IOException {
    ProcessBuilder builder = GitCli.builder(home, "http-backend");
    builder.redirectError(ProcessBuilder.Redirect.appendTo(home.resolve("http.log").toFile()));
    Map<String, String> env = builder.environment();
    env.put("GIT_PROJECT_ROOT", root.toString());
    env.put("GIT_HTTP_EXPORT_ALL", "1");
    env.put("PATH_INFO", exchange.getRequestURI().getRawPath().substring("/git".length()));
    String query = exchange.getRequestURI().getRawQuery();
    env.put("QUERY_STRING", query == null ? "" : query);
    env.put("REQUEST_METHOD", exchange.getRequestMethod());
    env.put("REMOTE_ADDR", "127.0.0.1");
    String type = exchange.getRequestHeaders().getFirst("Content-Type");
    env.put("CONTENT_TYPE", type == null ? "" : type);
    String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
    if (encoding != null) {
      env.put("HTTP_CONTENT_ENCODING", encoding);
    }
    String protocol = exchange.getRequestHeaders().getFirst("Git-Protocol");
    if (v2 && protocol != null) {
      env.put("GIT_PROTOCOL", protocol);
    }
    byte[] request = exchange.getRequestBody().readAllBytes();
    env.put("CONTENT_LENGTH", Integer.toString(request.length));
    Process process = builder.start();
    try (OutputStream stdin = process.getOutputStream()) {
      stdin.write(request);
    }
    try (InputStream stdout = new BufferedInputStream(process.getInputStream())) {
      int status = 200;
      for (String line = headerLine(stdout); !line.isEmpty(); line = headerLine(stdout)) {
        int colon = line.indexOf(':');
        String name = line.substring(0, colon).strip();
        String value = line.substring(colon + 1).strip();
        if (name.equalsIgnoreCase("Status")) {
          status = Integer.parseInt(value.substring(0, 3));
        } else {
          exchange.getResponseHeaders().add(name, value);
        }
      }
      exchange.sendResponseHeaders(status, 0);
      stdout.transferTo(exchange.getResponseBody());
    }
    try {
      process.waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String headerLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); b != -1 && b != '\n'; b = in.read()) {
      if (b != '\r') {
        line.write(b);
      }
    }
    return line.toString(StandardCharsets.ISO_8859_1);
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
