package dev.sluice.admin.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.sluice.core.testing.TestRemote;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jgit.lib.ObjectId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code promote --health} against a real HTTP server playing the fleet dashboard. */
class PromoteHealthTest {

  private static final Instant RELEASED = Instant.parse("2026-11-01T10:00:00Z");
  private static final String SOAKED = RELEASED.plus(Duration.ofDays(7)).toString();

  @TempDir Path tmp;

  private TestRemote remote;
  private Cli cli;
  private ObjectId released;
  private HttpServer server;
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private volatile int status = 200;
  private volatile String body = "";

  @BeforeEach
  void setUp() throws IOException {
    remote = TestRemote.create(tmp);
    cli = new Cli(tmp);
    released = remote.commit("development", "feature", Map.of("app.txt", "1\n"));
    assertThat(
            cli.run("--remote", remote.uri(), "--now", RELEASED.toString(), "release", "1.0.0")
                .code())
        .isZero();
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/api/promotion-health",
        exchange -> {
          requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
          byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
          }
        });
    server.start();
  }

  @AfterEach
  void tearDown() {
    server.stop(0);
    remote.close();
  }

  private String dashboard() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private String report(String commit, int healthy, int failed, double ratio) {
    return "{\"commit\":\""
        + commit
        + "\",\"healthyNodes\":"
        + healthy
        + ",\"failedNodes\":"
        + failed
        + ",\"failureRatio\":"
        + ratio
        + "}";
  }

  @Test
  void healthyPreprodLetsThePromotionThroughAndAsksForTheCandidateCommit() {
    body = report(released.name(), 12, 0, 0.0);

    Cli.Result result =
        cli.run(
            "--remote",
            remote.uri(),
            "--now",
            SOAKED,
            "promote",
            "--health",
            dashboard() + "/",
            "--min-healthy-nodes",
            "10");

    assertThat(result.code()).as(result.toString()).isZero();
    assertThat(requests)
        .containsExactly(
            "GET /api/promotion-health?commit="
                + released.name()
                + "&releasedAt=2026-11-01T10%3A00%3A00Z");
    assertThat(remote.tip("master")).isEqualTo(released);
  }

  @Test
  void tooFewHealthyNodesAndTooManyFailuresAreBothListed() {
    body = report(released.name(), 3, 1, 0.25);
    ObjectId masterBefore = remote.tip("master");

    Cli.Result result =
        cli.run(
            "--remote",
            remote.uri(),
            "--now",
            SOAKED,
            "promote",
            "--health",
            dashboard(),
            "--min-healthy-nodes",
            "5");

    assertThat(result.code()).as(result.toString()).isEqualTo(3);
    assertThat(result.err())
        .contains(
            "  - too-few-healthy-nodes: only 3 healthy preprod nodes on the candidate (minimum 5)")
        .contains("  - failure-ratio-too-high: failure ratio 25.0 % (maximum 5.0 %) is too high");
    assertThat(remote.tip("master")).isEqualTo(masterBefore);
  }

  @Test
  void noHealthyNodeNeverPassesTheDefaultMinimum() {
    body =
        "{\"commit\":\""
            + released.name()
            + "\",\"healthyNodes\":0,\"failedNodes\":0,\"failureRatio\":0.0,"
            + "\"preprodNodesSeen\":0,\"releasedAt\":\""
            + RELEASED
            + "\"}";
    ObjectId masterBefore = remote.tip("master");

    Cli.Result result =
        cli.run("--remote", remote.uri(), "--now", SOAKED, "promote", "--health", dashboard());

    assertThat(result.code()).as(result.toString()).isEqualTo(3);
    assertThat(result.err())
        .contains(
            "too-few-healthy-nodes: only 0 healthy preprod nodes on the candidate (minimum 3 ="
                + " max(3, 10 % of 0 preprod nodes seen since the release))");
    assertThat(remote.tip("master")).isEqualTo(masterBefore);
  }

  @Test
  void dashboardErrorRefusesWithTheReason() {
    status = 503;

    Cli.Result result =
        cli.run("--remote", remote.uri(), "--now", SOAKED, "promote", "--health", dashboard());

    assertThat(result.code()).isEqualTo(3);
    assertThat(result.err()).contains("health-unavailable: ").contains("answered HTTP 503");
  }

  @Test
  void answerAboutAnotherCommitIsNotTrusted() {
    body = report("0000000000000000000000000000000000000001", 50, 0, 0.0);

    Cli.Result result =
        cli.run("--remote", remote.uri(), "--now", SOAKED, "promote", "--health", dashboard());

    assertThat(result.code()).isEqualTo(3);
    assertThat(result.err())
        .contains("health-unavailable: ")
        .contains("instead of " + released.name());
  }

  @Test
  void malformedAnswerIsRefused() {
    body = "{\"nodes\": 3}";

    Cli.Result result =
        cli.run("--remote", remote.uri(), "--now", SOAKED, "promote", "--health", dashboard());

    assertThat(result.code()).isEqualTo(3);
    assertThat(result.err()).contains("not a promotion health report");
  }

  @Test
  void unreachableDashboardIsRefused() {
    String gone = dashboard();
    server.stop(0);

    Cli.Result result =
        cli.run("--remote", remote.uri(), "--now", SOAKED, "promote", "--health", gone);

    assertThat(result.code()).isEqualTo(3);
    assertThat(result.err())
        .contains("health-unavailable: no health report for the candidate: cannot reach ");
  }
}
