package dev.sluice.web.guard;

import static dev.sluice.web.testing.Reports.report;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.channel.Channel;
import dev.sluice.core.git.GitIsolation;
import dev.sluice.core.history.ChannelStatusReader;
import dev.sluice.core.json.Json;
import dev.sluice.core.policy.Policy;
import dev.sluice.core.policy.PolicyReader;
import dev.sluice.core.policy.PolicyWriter;
import dev.sluice.core.report.Action;
import dev.sluice.core.testing.TestRemote;
import dev.sluice.web.channels.ChannelsService;
import dev.sluice.web.fleet.FleetDatabase;
import dev.sluice.web.fleet.FleetService;
import dev.sluice.web.fleet.GuardQueries;
import dev.sluice.web.fleet.ReportStore;
import dev.sluice.web.fleet.ReportValidator;
import dev.sluice.web.fleet.ReportWriter;
import dev.sluice.web.http.FleetServer;
import dev.sluice.web.http.SafetyRoutes;
import dev.sluice.web.notify.ChangeWatcher;
import dev.sluice.web.notify.Notifier;
import dev.sluice.web.testing.MutableClock;
import io.javalin.Javalin;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The guard through real fleet-web servers: reports posted over HTTP into a real SQLite file, the
 * guard's commit pushed to a bare git remote, read back by git.
 */
class GuardServiceTest {

  static final Instant NOW = Instant.parse("2026-11-20T12:00:00Z");

  @TempDir Path dir;
  private TestRemote remote;
  private String release;
  private String previous;
  private final MutableClock clock = new MutableClock(NOW);
  private final HttpClient http = HttpClient.newHttpClient();
  private final List<AutoCloseable> open = new ArrayList<>();

  @BeforeAll
  static void isolate() {
    GitIsolation.install();
  }

  @BeforeEach
  void remote() {
    remote = TestRemote.create(dir).at(NOW.minus(Duration.ofDays(1)));
    previous = remote.tip("preprod").name();
    ObjectId candidate = remote.commit("preprod", "5.2.0", Map.of("app.txt", "5.2.0"));
    remote.tag("v5.2.0_pre", candidate, "preprod release 5.2.0");
    release = candidate.name();
  }

  @AfterEach
  void close() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  /** One fleet-web: its own database, HTTP server and guard. */
  final class Instance {
    final String url;
    final GuardService guard;

    Instance(String name) {
      FleetDatabase database = FleetDatabase.open(dir.resolve(name + ".db"));
      open.add(database);
      ReportWriter writer = new ReportWriter(new ReportStore(database), clock);
      open.add(writer);
      FleetService fleet = new FleetService(database, clock);
      guard =
          new GuardService(
              new GuardService.Settings(
                  remote.uri(),
                  null,
                  remote.uri(),
                  null,
                  dir.resolve(name + ".guard-cache"),
                  "Sluice guard",
                  "guard@sluice.invalid",
                  true,
                  null),
              new GuardQueries(database, false),
              clock,
              new ChangeWatcher(Notifier.NONE, clock, 3, 0, () -> 0));
      open.add(guard);
      ChannelsService channels =
          new ChannelsService(
              remote.uri(),
              dir.resolve(name + ".remote-cache"),
              ChannelStatusReader.withDefaultChannels(),
              clock,
              null,
              fleet::promotionHealth,
              System::nanoTime,
              Duration.ZERO);
      Javalin app =
          FleetServer.create(
              new FleetServer.Deps(
                  fleet,
                  new ReportValidator(clock),
                  writer,
                  clock,
                  Optional.empty(),
                  Optional.empty(),
                  Optional.of(channels)));
      SafetyRoutes.register(app, Optional.of(guard), Optional.empty());
      app.start("127.0.0.1", 0);
      open.add(app::stop);
      url = "http://127.0.0.1:" + app.port();
    }

    void post(String json) {
      HttpResponse<String> response =
          send(
              HttpRequest.newBuilder(URI.create(url + "/api/reports"))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(json))
                  .build());
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    JsonNode get(String path) {
      HttpResponse<String> response =
          send(HttpRequest.newBuilder(URI.create(url + path)).GET().build());
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      try {
        return Json.mapper().readTree(response.body());
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
  }

  private HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** {@code failed} preprod nodes rolled back from the release, {@code healthy} run it. */
  private void reports(List<Instance> instances, int firstNode, int failed, int healthy) {
    for (int i = 0; i < failed + healthy; i++) {
      String json =
          i < failed
              ? report()
                  .preprod()
                  .node(firstNode + i)
                  .on(previous, "v5.1.0_pre")
                  .target(release)
                  .action(Action.ROLLED_BACK)
                  .message("the health check failed; restored " + previous.substring(0, 8))
                  .reason("health-check", "HTTP 500 from http://127.0.0.1:16127/health")
                  .finishedAt(clock.instant())
                  .json()
              : report()
                  .preprod()
                  .node(firstNode + i)
                  .on(release, "v5.2.0_pre")
                  .action(Action.UPDATED)
                  .message("updated")
                  .finishedAt(clock.instant())
                  .json();
      for (Instance instance : instances) {
        instance.post(json);
      }
    }
  }

  private List<RevCommit> policyCommits() throws Exception {
    List<RevCommit> commits = new ArrayList<>();
    ObjectId tip = remote.repository().resolve("refs/heads/" + Policy.BRANCH);
    if (tip == null) {
      return commits;
    }
    try (Git git = Git.wrap(remote.repository())) {
      git.log().add(tip).call().forEach(commits::add);
    }
    return commits;
  }

  private Policy remotePolicy() {
    return PolicyReader.readRef(remote.repository(), "refs/heads/" + Policy.BRANCH).orElseThrow();
  }

  @Test
  void aFailingReleaseIsPausedByOneCommitThatCarriesTheEvidence() throws Exception {
    Instance web = new Instance("a");
    reports(List.of(web), 1, 4, 15);
    assertThat(web.guard.check().channels())
        .filteredOn(c -> c.channel().equals("preprod"))
        .singleElement()
        .satisfies(c -> assertThat(c.state()).isEqualTo("too-few"));
    assertThat(policyCommits()).isEmpty();

    clock.advance(Duration.ofMinutes(1));
    reports(List.of(web), 100, 1, 0);
    GuardReport report = web.guard.check();

    List<RevCommit> commits = policyCommits();
    assertThat(commits).hasSize(1);
    RevCommit trip = commits.get(0);
    assertThat(trip.getShortMessage())
        .isEqualTo(
            "guard: pause preprod, 5 of 20 nodes failed v5.2.0_pre ("
                + release.substring(0, 8)
                + ")");
    assertThat(trip.getFullMessage())
        .contains("5 of the 20 nodes that tried v5.2.0_pre")
        .contains("(25.0%), more than maxFailureRatio 0.05 with minSample 20")
        .contains("00000000-0000-4000-8000-000000000001 at ")
        .contains("health-check: HTTP 500 from http://127.0.0.1:16127/health")
        .contains("00000000-0000-4000-8000-000000000100")
        .contains("Sluice-Guard-Commit: " + release);
    assertThat(trip.getCommitterIdent().getName()).isEqualTo("Sluice guard");
    Policy policy = remotePolicy();
    assertThat(policy.channel(Channel.PREPROD).paused()).isTrue();
    assertThat(policy.channel(Channel.PREPROD).halt().commit()).isEqualTo(release);
    assertThat(policy.channel(Channel.PREPROD).halt().at()).isEqualTo(clock.instant());
    assertThat(policy.channel(Channel.STABLE).paused()).isFalse();
    assertThat(report.channels())
        .anySatisfy(c -> assertThat(c.policyCommit()).isEqualTo(trip.name()));

    // More failures and more checks: still the one commit.
    clock.advance(Duration.ofMinutes(1));
    reports(List.of(web), 200, 10, 0);
    assertThat(web.guard.check().channels())
        .filteredOn(c -> c.channel().equals("preprod"))
        .singleElement()
        .satisfies(c -> assertThat(c.state()).isEqualTo("halted"));
    web.guard.check();
    assertThat(policyCommits()).hasSize(1);

    JsonNode halt = web.get("/api/channels").get("channels").get(1).get("halt");
    assertThat(halt.get("action").asText()).isEqualTo("pause");
    assertThat(halt.get("commit").asText()).isEqualTo(release);
    assertThat(halt.get("reason").asText()).startsWith("guard: 5 of 20 nodes (25.0%) failed");
    assertThat(web.get("/api/channels").get("channels").get(0).get("halt").isNull()).isTrue();
    JsonNode guard = web.get("/api/guard");
    assertThat(guard.get("channels").get(1).get("state").asText()).isEqualTo("halted");
  }

  @Test
  void twoInstancesThatTripTogetherMakeOneCommit() throws Exception {
    Instance a = new Instance("a");
    Instance b = new Instance("b");
    reports(List.of(a, b), 1, 20, 5);
    reports(List.of(b), 50, 1, 0); // b has heard from one more node: its commit would differ
    // b has read the remote and judged; a pushes its trip before b's push arrives.
    b.guard.beforePush(() -> a.guard.check());

    GuardReport fromB = b.guard.check();

    assertThat(policyCommits()).hasSize(1);
    assertThat(fromB.error()).isNull();
    assertThat(fromB.channels())
        .filteredOn(c -> c.channel().equals("preprod"))
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.state()).isEqualTo("halted");
              assertThat(c.policyCommit()).isNull();
            });
    assertThat(a.guard.status().channels())
        .anySatisfy(c -> assertThat(c.policyCommit()).isEqualTo(policyCommits().get(0).name()));
  }

  @Test
  void afterResumeTheSameEvidenceDoesNotTripAgainButNewEvidenceDoes() throws Exception {
    Instance web = new Instance("a");
    reports(List.of(web), 1, 20, 0);
    web.guard.check();
    assertThat(policyCommits()).hasSize(1);

    // channel-admin resume: not paused, no halt, the guard counts from the resume on.
    clock.advance(Duration.ofMinutes(5));
    Policy halted = remotePolicy();
    Policy resumed =
        halted.withChannel(
            Channel.PREPROD, halted.channel(Channel.PREPROD).resumeAt(clock.instant()));
    remote.commit(
        Policy.BRANCH,
        "resume preprod: false alarm",
        Map.of(Policy.FILE, PolicyWriter.write(resumed)));

    clock.advance(Duration.ofMinutes(1));
    assertThat(web.guard.check().channels())
        .filteredOn(c -> c.channel().equals("preprod"))
        .singleElement()
        .satisfies(c -> assertThat(c.state()).isEqualTo("too-few"));
    assertThat(policyCommits()).hasSize(2);

    reports(List.of(web), 1, 20, 0);
    web.guard.check();
    assertThat(policyCommits()).hasSize(3);
    assertThat(remotePolicy().channel(Channel.PREPROD).paused()).isTrue();
  }
}
