package dev.sluice.updater.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.sluice.core.git.RemoteAccess;
import dev.sluice.core.json.Json;
import dev.sluice.core.report.Action;
import dev.sluice.core.report.NodeReport;
import dev.sluice.core.testing.TestRemote;
import dev.sluice.updater.TestNode;
import dev.sluice.updater.git.Reach;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.lib.ObjectId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run that cannot reach its remote tries its fallbacks in order and retries with backoff within
 * --retry-for; it never retries or skips a remote that refused it, and never a missing ref.
 */
class RemoteReachTest {

  static final Instant START = Instant.parse("2026-03-10T08:00:00Z");

  @TempDir Path tmp;

  TestRemote remote;
  ObjectId tip;

  @BeforeEach
  void setUp() {
    remote = TestRemote.create(tmp);
    tip = remote.commit("master", "app", Map.of("app.txt", "1\n"));
  }

  @AfterEach
  void tearDown() {
    remote.close();
  }

  /** An http URL on a loopback port nothing listens on: connection refused. */
  private static String closedPort(String userInfo) throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    return "http://" + userInfo + "127.0.0.1:" + port + "/app.git";
  }

  private RunResult run(String primary, List<String> fallbacks, Duration retryFor) {
    TestNode node = new TestNode(tmp.resolve("node"), primary, START, 3);
    return node.run(
        r -> r.withReach(new Reach(fallbacks.stream().map(RemoteAccess::of).toList(), retryFor)));
  }

  @Test
  void anUnreachableRemoteIsRetriedForTheGivenTimeThenTheRunIsOffline() throws Exception {
    String missing = tmp.resolve("not-there.git").toUri().toString();

    long started = System.nanoTime();
    RunResult result = run(missing, List.of(), Duration.ofSeconds(3));
    Duration took = Duration.ofNanos(System.nanoTime() - started);

    assertThat(result.exitCode()).isEqualTo(ExitCodes.OFFLINE);
    assertThat(result.report().action()).isEqualTo(Action.OFFLINE);
    assertThat(result.report().message()).containsPattern("\\([3-9] attempts in 3 s\\)");
    assertThat(result.report().remote()).isNull();
    assertThat(took).isBetween(Duration.ofMillis(2_500), Duration.ofSeconds(20));
  }

  @Test
  void withoutRetryAnUnreachableRemoteIsTriedOnce() throws Exception {
    long started = System.nanoTime();
    RunResult result = run(closedPort(""), List.of(), Duration.ZERO);
    Duration took = Duration.ofNanos(System.nanoTime() - started);

    assertThat(result.exitCode()).isEqualTo(ExitCodes.OFFLINE);
    assertThat(result.report().message()).doesNotContain("attempts");
    assertThat(took).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void aRemoteThatComesUpDuringTheRetryWindowServesTheRun() throws Exception {
    Path late = tmp.resolve("late.git");
    CompletableFuture<Void> appears =
        CompletableFuture.runAsync(
            () -> {
              try {
                Thread.sleep(1_500);
                Files.move(remote.dir(), late, StandardCopyOption.ATOMIC_MOVE);
              } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });

    long started = System.nanoTime();
    RunResult result = run(late.toUri().toString(), List.of(), Duration.ofSeconds(30));
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    appears.get(10, TimeUnit.SECONDS);

    assertThat(result.exitCode()).as(result.report().message()).isEqualTo(ExitCodes.OK);
    assertThat(result.report().action()).isEqualTo(Action.UPDATED);
    assertThat(result.report().currentCommit())
        .as(Json.write(result.report()))
        .isEqualTo(tip.name());
    assertThat(took).isBetween(Duration.ofMillis(1_400), Duration.ofSeconds(25));
  }

  @Test
  void aFallbackServesWhenTheFirstRemoteIsUnreachableAndNoSecretLeaks() throws Exception {
    String primary = closedPort("deploy:s3cret-token@");

    RunResult result = run(primary, List.of(remote.uri()), Duration.ZERO);

    NodeReport report = result.report();
    assertThat(result.exitCode()).as(report.message()).isEqualTo(ExitCodes.OK);
    assertThat(report.action()).isEqualTo(Action.UPDATED);
    assertThat(report.currentCommit()).isEqualTo(tip.name());
    assertThat(report.remote()).isEqualTo(remote.uri());
    assertThat(report.warnings()).anyMatch(w -> w.startsWith("served by fallback remote "));
    assertThat(Json.write(report)).doesNotContain("s3cret-token").contains("127.0.0.1");
  }

  @Test
  void theFirstRemoteThatAnswersServesEvenWhenItIsAFallbackOfAFallback() throws Exception {
    String missing = tmp.resolve("gone.git").toUri().toString();

    RunResult result = run(closedPort(""), List.of(missing, remote.uri()), Duration.ZERO);

    assertThat(result.exitCode()).as(result.report().message()).isEqualTo(ExitCodes.OK);
    assertThat(result.report().remote()).isEqualTo(remote.uri());
  }

  @Test
  void aRemoteThatRefusesTheCredentialsIsNeitherRetriedNorSkipped() throws Exception {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          try (exchange) {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"git\"");
            exchange.sendResponseHeaders(401, -1);
          }
        });
    server.start();
    try {
      String refusing = "http://127.0.0.1:" + server.getAddress().getPort() + "/app.git";

      long started = System.nanoTime();
      RunResult result = run(refusing, List.of(remote.uri()), Duration.ofSeconds(30));
      Duration took = Duration.ofNanos(System.nanoTime() - started);

      assertThat(result.exitCode()).as(result.report().message()).isEqualTo(ExitCodes.USAGE);
      assertThat(result.report().message()).contains("authentication");
      assertThat(result.report().currentCommit()).isNull();
      assertThat(took).isLessThan(Duration.ofSeconds(10));
    } finally {
      server.stop(0);
    }
  }

  @Test
  void aMissingBranchIsNotRetried() throws Exception {
    TestRemote empty = TestRemote.create(tmp.resolve("other"));
    try {
      empty.commit("development", "work", Map.of("a.txt", "a\n"));

      long started = System.nanoTime();
      RunResult result = run(empty.uri(), List.of(), Duration.ofSeconds(30));
      Duration took = Duration.ofNanos(System.nanoTime() - started);

      assertThat(result.exitCode()).isNotEqualTo(ExitCodes.OFFLINE);
      assertThat(result.report().action()).isNotEqualTo(Action.OFFLINE);
      assertThat(took).isLessThan(Duration.ofSeconds(10));
    } finally {
      empty.close();
    }
  }
}
