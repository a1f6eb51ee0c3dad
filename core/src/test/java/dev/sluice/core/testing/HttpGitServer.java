package dev.sluice.core.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.PacketLineOut;
import org.eclipse.jgit.transport.RefAdvertiser;
import org.eclipse.jgit.transport.UploadPack;

/**
 * A real smart-HTTP git server (protocol v0, read-only) on 127.0.0.1, serving one repository at
 * {@code /repo.git} and, when given a user and password, demanding them with HTTP basic auth the
 * way a private GitHub or Gitea repository does.
 */
public final class HttpGitServer implements AutoCloseable {

  private final HttpServer server;
  private final Repository repo;
  private final String expectedAuthorization;
  private final List<String> refusals = new CopyOnWriteArrayList<>();

  private HttpGitServer(Repository repo, String user, String password) throws IOException {
    this.repo = repo;
    this.expectedAuthorization =
        user == null
            ? null
            : "Basic "
                + Base64.getEncoder()
                    .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/repo.git/", this::handle);
    server.start();
  }

  /** Serves the repository to anyone. */
  public static HttpGitServer open(Repository repo) throws IOException {
    return new HttpGitServer(repo, null, null);
  }

  /** Serves the repository only to requests that carry this user and password. */
  public static HttpGitServer withBasicAuth(Repository repo, String user, String password)
      throws IOException {
    return new HttpGitServer(repo, user, password);
  }

  /** The repository's URL, without credentials. */
  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/repo.git";
  }

  /** How many requests were refused with 401. */
  public int refusals() {
    return refusals.size();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (expectedAuthorization != null
          && !expectedAuthorization.equals(
              exchange.getRequestHeaders().getFirst("Authorization"))) {
        refusals.add(exchange.getRequestURI().getPath());
        exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"git\"");
        exchange.sendResponseHeaders(401, -1);
        return;
      }
      String path = exchange.getRequestURI().getPath();
      String query = String.valueOf(exchange.getRequestURI().getQuery());
      if (path.endsWith("/info/refs") && query.contains("service=git-upload-pack")) {
        exchange
            .getResponseHeaders()
            .add("Content-Type", "application/x-git-upload-pack-advertisement");
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = exchange.getResponseBody()) {
          PacketLineOut lines = new PacketLineOut(out);
          lines.writeString("# service=git-upload-pack\n");
          lines.end();
          UploadPack pack = new UploadPack(repo);
          pack.setBiDirectionalPipe(false);
          pack.sendAdvertisedRefs(new RefAdvertiser.PacketLineOutRefAdvertiser(lines));
        }
      } else if (path.endsWith("/git-upload-pack") && "POST".equals(exchange.getRequestMethod())) {
        exchange.getResponseHeaders().add("Content-Type", "application/x-git-upload-pack-result");
        exchange.sendResponseHeaders(200, 0);
        InputStream in = exchange.getRequestBody();
        if ("gzip".equals(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
          in = new GZIPInputStream(in);
        }
        try (OutputStream out = exchange.getResponseBody()) {
          UploadPack pack = new UploadPack(repo);
          pack.setBiDirectionalPipe(false);
          pack.upload(in, out, null);
        }
      } else {
        exchange.sendResponseHeaders(404, -1);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
