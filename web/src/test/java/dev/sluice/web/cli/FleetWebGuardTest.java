package dev.sluice.web.cli;

import static dev.sluice.web.testing.Reports.report;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.sluice.core.channel.Channel;
import dev.sluice.core.git.GitIsolation;
import dev.sluice.core.json.Json;
import dev.sluice.core.policy.Policy;
import dev.sluice.core.policy.PolicyReader;
import dev.sluice.core.policy.PolicyWriter;
import dev.sluice.core.report.Action;
import dev.sluice.core.testing.TestKeys;
import dev.sluice.core.testing.TestRemote;
import dev.sluice.core.trust.TrustFile;
import dev.sluice.core.trust.Verdict;
import io.javalin.Javalin;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole fleet-web program with its guard on and a webhook to a local receiver: reports over
 * HTTP trip the guard, the remote gets the commit, the receiver hears each change once.
 */
class FleetWebGuardTest {

  @TempDir Path dir;
  private TestRemote remote;
  private HttpServer receiver;
  private final List<JsonNode> received = new CopyOnWriteArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws IOException {
    GitIsolation.install();
    remote = TestRemote.create(dir).at(Instant.now().minus(Duration.ofDays(1)));
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext(
        "/hook",
        exchange -> {
          received.add(Json.mapper().readTree(exchange.getRequestBody().readAllBytes()));
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    receiver.start();
  }

  @AfterEach
  void stop() {
    receiver.stop(0);
    remote.close();
  }

  private static void await(String what, BooleanSupplier condition) {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waited 40 s for " + what).isLessThan(until);
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  private List<String> kinds() {
    return received.stream().map(n -> n.get("kind").asText()).toList();
  }

  private void post(String base, String json) {
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "api/reports"))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(json))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private Policy remotePolicy() {
    return PolicyReader.readRef(remote.repository(), "refs/heads/" + Policy.BRANCH)
        .orElse(Policy.defaults());
  }

  @Test
  void reportsTripTheGuardAndEveryChangeIsNotifiedOnce() {
    String previous = remote.tip("preprod").name();
    remote.at(Instant.now());
    ObjectId release = remote.commit("preprod", "5.2.0", Map.of("app.txt", "5.2.0"));
    remote.tag("v5.2.0_pre", release, "preprod release 5.2.0");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        FleetWebMain.run(
            new PrintWriter(out, true),
            new PrintWriter(err, true),
            new FleetWebCommand.Stopper() {
              @Override
              public void awaitStop(Javalin app) {
                String base = "http://127.0.0.1:" + app.port() + "/";
                await("the first guard check", () -> remote.repository() != null && checked(base));
                for (int i = 1; i <= 20; i++) {
                  post(
                      base,
                      report()
                          .preprod()
                          .node(i)
                          .on(previous, "v5.1.0_pre")
                          .target(release.name())
                          .action(Action.ROLLED_BACK)
                          .message("the health check failed")
                          .reason("health-check", "HTTP 503")
                          .finishedAt(Instant.now())
                          .json());
                }
                await("the guard's commit", () -> remotePolicy().channel(Channel.PREPROD).paused());
                await("two notices", () -> received.size() >= 2);

                Policy halted = remotePolicy();
                assertThat(halted.channel(Channel.PREPROD).halt().commit())
                    .isEqualTo(release.name());
                // An operator resumes (as channel-admin resume writes it) and promotes.
                remote.commit(
                    Policy.BRANCH,
                    "resume preprod: checked",
                    Map.of(
                        Policy.FILE,
                        PolicyWriter.write(
                            halted.withChannel(
                                Channel.PREPROD,
                                halted.channel(Channel.PREPROD).resumeAt(Instant.now())))));
                remote.setBranch("master", release);
                await("the resume and the promotion", () -> received.size() >= 4);
                try {
                  Thread.sleep(2500); // two more checks: nothing new to say
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              }

              @Override
              public void finished() {}
            },
            "--db",
            dir.resolve("fleet.db").toString(),
            "--port",
            "0",
            "--remote",
            remote.uri(),
            "--guard-interval",
            "PT1S",
            "--webhook",
            "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook");

    assertThat(code).as(err.toString()).isZero();
    assertThat(kinds())
        .containsExactlyInAnyOrder("failures", "guard-tripped", "channel-resumed", "promoted");
    JsonNode trip =
        received.stream()
            .filter(n -> n.get("kind").asText().equals("guard-tripped"))
            .findFirst()
            .orElseThrow();
    assertThat(trip.get("title").asText())
        .startsWith("guard: pause preprod, 20 of 20 nodes failed v5.2.0_pre");
    assertThat(trip.get("details").get("firstFailingNodes").asText())
        .contains("00000000-0000-4000-8000-000000000001 (health-check: HTTP 503)");
  }

  @Test
  void withASigningKeyTheGuardsCommitIsTrustedAsAPolicyCommitOnly() throws IOException {
    TestKeys keys = TestKeys.in(dir);
    try {
      Path guardKey = keys.sshKey("guard");
      Path releaseKey = keys.sshKey("release");
      Path releases =
          java.nio.file.Files.writeString(
              dir.resolve("allowed_signers"),
              "ops@example.org " + keys.sshPublic(releaseKey) + "\n");
      Path policySigners =
          java.nio.file.Files.writeString(
              dir.resolve("policy_signers"),
              "guard@sluice.invalid " + keys.sshPublic(guardKey) + "\n");
      String previous = remote.tip("preprod").name();
      remote.at(Instant.now());
      ObjectId release = remote.commit("preprod", "5.2.0", Map.of("app.txt", "5.2.0"));
      StringWriter err = new StringWriter();
      int code =
          FleetWebMain.run(
              new PrintWriter(new StringWriter(), true),
              new PrintWriter(err, true),
              new FleetWebCommand.Stopper() {
                @Override
                public void awaitStop(Javalin app) {
                  String base = "http://127.0.0.1:" + app.port() + "/";
                  await("the first guard check", () -> checked(base));
                  for (int i = 1; i <= 20; i++) {
                    post(
                        base,
                        report()
                            .preprod()
                            .node(i)
                            .on(previous, "v5.1.0_pre")
                            .target(release.name())
                            .action(Action.ROLLED_BACK)
                            .reason("health-check", "HTTP 503")
                            .finishedAt(Instant.now())
                            .json());
                  }
                  await(
                      "the guard's commit", () -> remotePolicy().channel(Channel.PREPROD).paused());
                }

                @Override
                public void finished() {}
              },
              "--db",
              dir.resolve("fleet.db").toString(),
              "--port",
              "0",
              "--remote",
              remote.uri(),
              "--guard-interval",
              "PT1S",
              "--guard-sign-key",
              guardKey.toString());

      assertThat(code).as(err.toString()).isZero();
      try (RevWalk walk = new RevWalk(remote.repository())) {
        RevCommit tip = walk.parseCommit(remote.tip(Policy.BRANCH));
        TrustFile nodes = TrustFile.load(releases, null);
        assertThat(nodes.verifyPolicy(remote.repository(), tip).trusted()).isFalse();
        TrustFile withGuard = nodes.withPolicySigners(policySigners);
        Verdict verdict = withGuard.verifyPolicy(remote.repository(), tip);
        assertThat(verdict.trusted()).as(verdict.describe()).isTrue();
        assertThat(withGuard.verify(remote.repository(), tip).trusted()).isFalse();
      }
    } finally {
      keys.close();
    }
  }

  @Test
  void aSigningKeyThatCannotSignStopsTheStartWithTheReason() throws IOException {
    Path notAKey = java.nio.file.Files.writeString(dir.resolve("not-a-key"), "hello\n");
    StringWriter err = new StringWriter();

    int code =
        FleetWebMain.run(
            new PrintWriter(new StringWriter(), true),
            new PrintWriter(err, true),
            new FleetWebCommand.Stopper() {
              @Override
              public void awaitStop(Javalin app) {}

              @Override
              public void finished() {}
            },
            "--db",
            dir.resolve("fleet.db").toString(),
            "--port",
            "0",
            "--remote",
            remote.uri(),
            "--guard-sign-key",
            notAKey.toString());

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("--guard-sign-key " + notAKey + " cannot sign");
  }

  private boolean checked(String base) {
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "api/guard")).GET().build(),
              HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      return response.statusCode() == 200
          && !Json.mapper().readTree(response.body()).get("checkedAt").isNull();
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
