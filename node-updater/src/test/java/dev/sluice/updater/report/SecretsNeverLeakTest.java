package dev.sluice.updater.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.sluice.core.testing.HttpGitServer;
import dev.sluice.core.testing.TestRemote;
import dev.sluice.updater.cli.NodeUpdaterMain;
import dev.sluice.updater.serve.NodeInfoService;
import dev.sluice.updater.serve.NodeServer;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A token given the only way that worked before, inside the remote URL, must not leave
 * node-updater: not in what {@code run} prints (JSON and stderr, log lines included), not in the
 * state file or the work tree, not in {@code status}, not in what {@code serve} answers and not in
 * the report a dashboard receives, after runs that succeed and runs that fail. {@code run} is a
 * real child process, as on a node, so its real stderr and log output are checked.
 */
class SecretsNeverLeakTest {

  static final String TOKEN = "glpat-SECRET-5d1f0a9e";
  static final String WRONG_TOKEN = "glpat-WRONG-77c2b4e1";

  @TempDir Path tmp;

  TestRemote remote;
  HttpGitServer git;
  HttpServer dashboard;
  final List<String> reports = new CopyOnWriteArrayList<>();
  final Map<String, String> seen = new LinkedHashMap<>();

  @BeforeEach
  void start() throws IOException {
    remote = TestRemote.create(tmp);
    git = HttpGitServer.withBasicAuth(remote.repository(), "deploy", TOKEN);
    dashboard = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    dashboard.createContext(
        "/api/reports",
        exchange -> {
          reports.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          exchange.sendResponseHeaders(202, -1);
          exchange.close();
        });
    dashboard.start();
  }

  @AfterEach
  void stop() {
    dashboard.stop(0);
    git.close();
    remote.close();
  }

  /** The served URL as the node shows it: no user, no token. */
  String urlWithout() {
    return git.url();
  }

  String urlWith(String token) {
    return git.url().replace("http://", "http://deploy:" + token + "@");
  }

  Path workdir() {
    return tmp.resolve("node/workdir");
  }

  Path state() {
    return tmp.resolve("node/state/state.db");
  }

  record Child(int code, String out, String err) {}

  Child child(String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Duser.home=" + tmp.resolve("home"));
    command.add("-cp");
    command.add(
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"))
            .replace(' ', File.pathSeparatorChar));
    command.add(NodeUpdaterMain.class.getName());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().remove("SLUICE_GIT_TOKEN");
    builder.environment().remove("SLUICE_REPORT_TOKEN");
    Path out = Files.createTempFile(tmp, "out", ".txt");
    Path err = Files.createTempFile(tmp, "err", ".txt");
    Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    assertThat(process.waitFor(90, TimeUnit.SECONDS)).as("child finished").isTrue();
    return new Child(process.exitValue(), Files.readString(out), Files.readString(err));
  }

  Child inProcess(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = NodeUpdaterMain.run(new PrintWriter(out), new PrintWriter(err), Map.of(), args);
    return new Child(code, out.toString(), err.toString());
  }

  Child run(String url) throws Exception {
    Child child =
        child(
            "run",
            "--workdir",
            workdir().toString(),
            "--remote",
            url,
            "--state",
            state().toString(),
            "--channel",
            "stable",
            "--report-to",
            "http://127.0.0.1:" + dashboard.getAddress().getPort(),
            "--json",
            "--verbose",
            // Short, but long enough that an unreachable remote is retried and logged again.
            "--retry-for",
            "PT2S");
    seen.put("run " + seen.size() + " stdout", child.out());
    seen.put("run " + seen.size() + " stderr", child.err());
    return child;
  }

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES) // four child JVMs on a busy machine
  void aTokenInTheRemoteUrlIsUsedButNeverPrintedStoredServedOrSent() throws Exception {
    Child ok = run(urlWith(TOKEN));
    assertThat(ok.code()).as(ok.err()).isZero();
    assertThat(ok.out()).contains("\"action\" : \"updated\"");
    assertThat(ok.err()).as("log lines are there to be checked").contains("fetched");

    Child refused = run(urlWith(WRONG_TOKEN));
    assertThat(refused.code()).as(refused.err()).isEqualTo(2);
    assertThat(refused.out())
        .contains("remote-access-denied")
        .contains("remote " + git.url() + ": authentication failed");

    git.close();
    Child offline = run(urlWith(TOKEN));
    assertThat(offline.code()).as(offline.err()).isEqualTo(10);
    assertThat(offline.out()).contains("\"action\" : \"offline\"");

    Child badUrl =
        inProcess(
            "run",
            "--workdir",
            workdir().toString(),
            "--remote",
            "http://deploy:" + TOKEN + "@127.0.0.1:notaport/repo.git",
            "--state",
            state().toString());
    assertThat(badUrl.code()).isEqualTo(2);
    seen.put("run with a malformed URL", badUrl.out() + badUrl.err());

    Child status = inProcess("status", "--state", state().toString(), "--runs", "10");
    assertThat(status.code()).as(status.err()).isZero();
    seen.put("status", status.out() + status.err());
    Child statusJson = inProcess("status", "--state", state().toString(), "--json");
    seen.put("status --json", statusJson.out() + statusJson.err());
    assertThat(statusJson.out()).contains("authentication failed");

    served();

    assertThat(reports).hasSizeGreaterThanOrEqualTo(3);
    for (int i = 0; i < reports.size(); i++) {
      seen.put("report " + i, reports.get(i));
    }
    seen.putAll(filesUnder(tmp.resolve("node")));

    for (Map.Entry<String, String> place : seen.entrySet()) {
      assertThat(place.getValue())
          .as(place.getKey())
          .doesNotContain(TOKEN)
          .doesNotContain(WRONG_TOKEN);
    }
    assertThat(seen).containsKey("file state/state.db");
    assertThat(seen).containsKey("file workdir/.git/config");
  }

  @Test
  void theFileCheckFindsATokenWhereOneIs() throws Exception {
    Files.createDirectories(tmp.resolve("node"));
    Files.write(tmp.resolve("node/leak.bin"), ("x\0" + TOKEN).getBytes(StandardCharsets.UTF_8));
    assertThat(filesUnder(tmp.resolve("node")).get("file leak.bin")).contains(TOKEN);
  }

  /** What {@code serve} answers: /info, /metrics and /healthz over real HTTP. */
  private void served() throws Exception {
    try (NodeServer server = NodeServer.start(new NodeInfoService(state()), "127.0.0.1", 0)) {
      HttpClient client =
          HttpClient.newBuilder()
              .version(HttpClient.Version.HTTP_1_1)
              .connectTimeout(Duration.ofSeconds(10))
              .build();
      for (String path : new String[] {"/info", "/metrics", "/healthz"}) {
        HttpResponse<String> response =
            client.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                    .timeout(Duration.ofSeconds(20))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        seen.put("serve " + path, response.body());
      }
      assertThat(seen.get("serve /info"))
          .contains("\"lastRun\"")
          .contains("remote " + urlWithout());
    }
  }

  /** Every file's bytes (as ISO-8859-1, so any byte sequence survives), by relative path. */
  private static Map<String, String> filesUnder(Path root) throws IOException {
    Map<String, String> files = new LinkedHashMap<>();
    try (Stream<Path> all = Files.walk(root)) {
      for (Path file : all.filter(Files::isRegularFile).toList()) {
        files.put(
            "file " + root.relativize(file),
            new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
      }
    }
    return files;
  }
}
