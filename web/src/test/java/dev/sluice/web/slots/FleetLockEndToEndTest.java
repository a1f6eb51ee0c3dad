package dev.sluice.web.slots;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.history.ChannelStatusReader;
import dev.sluice.core.json.Json;
import dev.sluice.core.testing.TestRemote;
import dev.sluice.updater.cli.NodeUpdaterMain;
import dev.sluice.web.channels.ChannelsService;
import dev.sluice.web.fleet.FleetDatabase;
import dev.sluice.web.fleet.FleetService;
import dev.sluice.web.fleet.PromotionHealth;
import dev.sluice.web.fleet.ReportStore;
import dev.sluice.web.fleet.ReportValidator;
import dev.sluice.web.fleet.ReportWriter;
import dev.sluice.web.fleet.SlotStore;
import dev.sluice.web.http.FleetLockHandler;
import dev.sluice.web.http.FleetServer;
import dev.sluice.web.testing.MutableClock;
import io.javalin.Javalin;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.ObjectId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Update slots end to end: a real fleet-web (HTTP, SQLite, the policy read from a bare git remote)
 * and real node-updater runs against that remote, plus FleetLock requests made exactly as Zincati
 * makes them.
 */
class FleetLockEndToEndTest {

  static final String TOKEN = "ingest-secret";

  @TempDir Path dir;

  private TestRemote remote;
  private FleetDatabase database;
  private ReportWriter writer;
  private Javalin app;
  private final MutableClock clock =
      new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() {
    remote = TestRemote.create(dir);
    database = FleetDatabase.open(dir.resolve("fleet.db"));
    writer = new ReportWriter(new ReportStore(database), clock);
    FleetService fleet = new FleetService(database, clock);
    ChannelsService channels =
        new ChannelsService(
            remote.uri(),
            dir.resolve("cache"),
            ChannelStatusReader.withDefaultChannels(),
            clock,
            null,
            (commit, releasedAt) -> PromotionHealth.of(commit, releasedAt, 0, 0, 0),
            System::nanoTime,
            Duration.ZERO);
    app =
        FleetServer.create(
            new FleetServer.Deps(
                fleet,
                new ReportValidator(clock),
                writer,
                clock,
                Optional.of(TOKEN),
                Optional.empty(),
                Optional.of(channels)));
    FleetLockHandler.install(
        app,
        new SlotService(new SlotStore(database), channels::updateLimits, clock),
        Optional.of(TOKEN),
        clock);
    app.start("127.0.0.1", 0);
  }

  @AfterEach
  void stop() {
    app.stop();
    writer.close();
    database.close();
    remote.close();
  }

  String base() {
    return "http://127.0.0.1:" + app.port();
  }

  void policy(String updateLimits) {
    remote.commit(
        "rollout-policy",
        "policy",
        Map.of("channels.json", "{\"schema\": 1, \"updateLimits\": " + updateLimits + "}\n"));
  }

  ObjectId release(String content) {
    return remote.commit("master", "release " + content, Map.of("app.txt", content + "\n"));
  }

  /** One node: its work tree and state file, run through node-updater's command line. */
  final class Node {
    final String name;
    String id;

    Node(String name) {
      this.name = name;
    }

    JsonNode run(int expectedExit, String... extra) {
      List<String> args =
          new ArrayList<>(
              List.of(
                  "run",
                  "--workdir",
                  dir.resolve(name).toString(),
                  "--remote",
                  remote.uri(),
                  "--state",
                  dir.resolve(name + ".db").toString(),
                  "--channel",
                  "stable",
                  "--json"));
      if (List.of(extra).stream().noneMatch(a -> a.equals("--fleet-lock"))) {
        args.addAll(List.of("--fleet-lock", base()));
      }
      args.addAll(List.of(extra));
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      int exit =
          NodeUpdaterMain.run(
              new PrintWriter(out),
              new PrintWriter(err),
              Map.of("SLUICE_REPORT_TOKEN", TOKEN),
              args.toArray(String[]::new));
      assertThat(exit).as("exit of %s: %s %s", name, out, err).isEqualTo(expectedExit);
      try {
        JsonNode report = Json.mapper().readTree(out.toString());
        id = report.path("node").asText();
        return report;
      } catch (java.io.IOException e) {
        throw new AssertionError(out + " " + err, e);
      }
    }

    String head() throws Exception {
      try (Git git = Git.open(dir.resolve(name).toFile())) {
        return git.getRepository().resolve("HEAD").name();
      }
    }
  }

  /** A FleetLock request exactly as Zincati sends it. */
  HttpResponse<String> fleetLock(String endpoint, String id, String group, String authorization)
      throws Exception {
    String body = "{\"client_params\":{\"id\":\"" + id + "\",\"group\":\"" + group + "\"}}";
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base() + endpoint))
            .header("fleet-lock-protocol", "true")
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  static String basic(String user, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  JsonNode slots() throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(base() + "/api/slots")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return Json.mapper().readTree(response.body());
  }

  List<String> holders() throws Exception {
    List<String> holders = new ArrayList<>();
    slots().path("slots").forEach(slot -> holders.add(slot.path("holder").asText()));
    return holders;
  }

  @Test
  void aNodeTakesASlotBeforeMovingAndGivesItBackWhenHealthy() throws Exception {
    policy("{\"channels\": {\"stable\": {\"maxConcurrentUpdates\": 1}}}");
    Node node = new Node("a");
    assertThat(node.run(0).path("action").asText()).isEqualTo("updated");
    assertThat(slots().path("grantedLastHour").path("stable").asInt())
        .as("a first install never waits for a slot")
        .isZero();

    ObjectId v1 = release("v1");
    JsonNode report = node.run(0, "--health-check", "true");

    assertThat(report.path("action").asText()).isEqualTo("updated");
    assertThat(node.head()).isEqualTo(v1.name());
    assertThat(holders()).as("given back once healthy").isEmpty();
    assertThat(slots().path("grantedLastHour").path("stable").asInt()).isEqualTo(1);
  }

  @Test
  void aFullLockGroupHoldsTheNodeWithNoSlotUntilTheHolderGivesItBack() throws Exception {
    policy("{\"channels\": {\"stable\": {\"maxConcurrentUpdates\": 1}}}");
    Node node = new Node("a");
    node.run(0);
    String before = node.head();
    assertThat(fleetLock("/v1/pre-reboot", "zincati-1", "stable", "Bearer " + TOKEN).statusCode())
        .isEqualTo(200);
    release("v1");

    JsonNode held = node.run(0);

    assertThat(held.path("action").asText()).isEqualTo("held");
    assertThat(held.path("reason").path("code").asText()).isEqualTo("no-slot");
    assertThat(held.path("message").asText()).contains("1 of 1 held");
    assertThat(node.head()).isEqualTo(before);

    assertThat(fleetLock("/v1/steady-state", "zincati-1", "stable", "Bearer " + TOKEN).statusCode())
        .isEqualTo(200);
    JsonNode moved = node.run(0);
    assertThat(moved.path("action").asText()).as(moved.toString()).isEqualTo("updated");
  }

  @Test
  void aSlotNotGivenBackExpiresAndAFailedUpdateKeepsItsSlot() throws Exception {
    policy(
        "{\"channels\": {\"stable\": {\"maxConcurrentUpdates\": 1}}, \"slotExpiry\": \"PT10M\"}");
    Node failing = new Node("failing");
    Node waiting = new Node("waiting");
    failing.run(0);
    waiting.run(0);
    release("v1");

    JsonNode rolledBack =
        failing.run(
            11,
            "--shell",
            "--health-check",
            "grep -q 'version 0' app.txt",
            "--health-retries",
            "1");
    assertThat(rolledBack.path("action").asText()).isEqualTo("rolled-back");
    assertThat(holders()).containsExactly(failing.id);
    assertThat(waiting.run(0).path("reason").path("code").asText()).isEqualTo("no-slot");

    clock.advance(Duration.ofMinutes(10));

    assertThat(holders()).isEmpty();
    assertThat(waiting.run(0).path("action").asText()).isEqualTo("updated");
  }

  @Test
  void anHourlyRateHoldsTheNextNodeEvenWhenSlotsAreGivenBack() throws Exception {
    policy("{\"channels\": {\"stable\": {\"maxUpdatesPerHour\": 1}}}");
    Node first = new Node("first");
    Node second = new Node("second");
    first.run(0);
    second.run(0);
    release("v1");

    assertThat(first.run(0).path("action").asText()).isEqualTo("updated");
    JsonNode held = second.run(0);
    assertThat(held.path("reason").path("code").asText()).isEqualTo("no-slot");
    assertThat(held.path("message").asText()).contains("maxUpdatesPerHour");

    clock.advance(Duration.ofHours(1));
    assertThat(second.run(0).path("action").asText()).isEqualTo("updated");
  }

  @Test
  void unreachableFleetWebHoldsWhenThePolicySaysWaitAndMovesWhenItSaysProceed() throws Exception {
    policy("{\"channels\": {\"stable\": {\"maxConcurrentUpdates\": 5}}}");
    Node node = new Node("a");
    node.run(0);
    String before = node.head();
    ObjectId v1 = release("v1");

    long started = System.nanoTime();
    JsonNode held = node.run(0, "--fleet-lock", "http://127.0.0.1:1");
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
    assertThat(held.path("action").asText()).isEqualTo("held");
    assertThat(held.path("reason").path("code").asText()).isEqualTo("no-slot");
    assertThat(held.path("message").asText())
        .contains("cannot reach")
        .contains("onLockUnavailable is wait");
    assertThat(node.head()).isEqualTo(before);

    policy(
        "{\"channels\": {\"stable\": {\"maxConcurrentUpdates\": 5}}, \"onLockUnavailable\":"
            + " \"proceed\"}");
    JsonNode moved = node.run(0, "--fleet-lock", "http://127.0.0.1:1");
    assertThat(moved.path("action").asText()).isEqualTo("updated");
    assertThat(moved.path("warnings").toString()).contains("moving without an update slot");
    assertThat(node.head()).isEqualTo(v1.name());
  }

  @Test
  void leavingADeadEndNeverWaitsForASlot() throws Exception {
    policy("{\"channels\": {\"stable\": {\"maxConcurrentUpdates\": 1}}}");
    Node node = new Node("a");
    node.run(0);
    ObjectId good = remote.tip("master");
    ObjectId bad = release("bad");
    assertThat(node.run(0).path("action").asText()).isEqualTo("updated");
    assertThat(node.head()).isEqualTo(bad.name());

    // The operator rolls stable back: the bad commit is a dead-end, master points at the good one.
    remote.commit(
        "rollout-policy",
        "rollback",
        Map.of(
            "channels.json",
            "{\"schema\": 1, \"deadends\": [{\"ref\": \""
                + bad.name()
                + "\", \"reason\": \"broken\"}], \"updateLimits\": {\"channels\": {\"stable\":"
                + " {\"maxConcurrentUpdates\": 1}}}}\n"));
    remote.setBranch("master", good);
    assertThat(
            fleetLock("/v1/pre-reboot", "someone-else", "stable", "Bearer " + TOKEN).statusCode())
        .isEqualTo(200);

    JsonNode escaped = node.run(0, "--fleet-lock", "http://127.0.0.1:1");

    assertThat(escaped.path("action").asText()).isEqualTo("updated");
    assertThat(node.head()).isEqualTo(good.name());
  }

  @Test
  void aNodeWhoseGroupHasItsOwnLimitCountsThereNotInItsChannel() throws Exception {
    policy(
        "{\"channels\": {\"stable\": {\"maxConcurrentUpdates\": 1}}, \"groups\": {\"farm-1\":"
            + " {\"maxConcurrentUpdates\": 1}}}");
    Node node = new Node("a");
    node.run(0, "--group", "farm-1");
    assertThat(
            fleetLock("/v1/pre-reboot", "someone-else", "stable", "Bearer " + TOKEN).statusCode())
        .isEqualTo(200);
    release("v1");

    assertThat(node.run(0, "--group", "farm-1").path("action").asText()).isEqualTo("updated");
    assertThat(slots().path("grantedLastHour").path("farm-1").asInt()).isEqualTo(1);
  }

  @Test
  void zincatiStyleRequestsFollowTheFleetLockProtocol() throws Exception {
    policy("{\"groups\": {\"workers\": {\"maxConcurrentUpdates\": 1}}}");
    String id = "c988d2509fdf4cdcbed39037c56406fb";

    HttpResponse<String> locked = fleetLock("/v1/pre-reboot", id, "workers", basic("node", TOKEN));
    assertThat(locked.statusCode()).isEqualTo(200);
    assertThat(fleetLock("/v1/pre-reboot", id, "workers", basic("node", TOKEN)).statusCode())
        .as("recursive: the holder may lock again")
        .isEqualTo(200);

    HttpResponse<String> full =
        fleetLock("/v1/pre-reboot", "another", "workers", "Bearer " + TOKEN);
    assertThat(full.statusCode()).isEqualTo(409);
    JsonNode error = Json.mapper().readTree(full.body());
    assertThat(error.path("kind").asText()).isEqualTo("failed_lock_semaphore_full");
    assertThat(error.path("value").asText()).isNotBlank();
    assertThat(full.headers().firstValue("Retry-After")).isPresent();

    assertThat(fleetLock("/v1/steady-state", id, "workers", basic("node", TOKEN)).statusCode())
        .isEqualTo(200);
    assertThat(fleetLock("/v1/steady-state", id, "workers", basic("node", TOKEN)).statusCode())
        .as("unlock if held: nothing held is fine")
        .isEqualTo(200);
    assertThat(fleetLock("/v1/pre-reboot", "another", "workers", "Bearer " + TOKEN).statusCode())
        .isEqualTo(200);

    // A group without a limit (Zincati's "default") always gets a slot.
    assertThat(fleetLock("/v1/pre-reboot", id, "default", "Bearer " + TOKEN).statusCode())
        .isEqualTo(200);

    HttpResponse<String> noToken = fleetLock("/v1/pre-reboot", id, "default", null);
    assertThat(noToken.statusCode()).isEqualTo(401);
    assertThat(Json.mapper().readTree(noToken.body()).path("kind").asText())
        .isEqualTo("unauthorized");
    assertThat(fleetLock("/v1/pre-reboot", id, "default", basic("node", "wrong")).statusCode())
        .isEqualTo(401);

    HttpResponse<String> noHeader =
        http.send(
            HttpRequest.newBuilder(URI.create(base() + "/v1/pre-reboot"))
                .header("Authorization", "Bearer " + TOKEN)
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"client_params\":{\"id\":\"x\",\"group\":\"default\"}}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(noHeader.statusCode()).isEqualTo(400);
    assertThat(Json.mapper().readTree(noHeader.body()).path("kind").asText())
        .isEqualTo("failed_lock_protocol");

    HttpResponse<String> badGroup = fleetLock("/v1/pre-reboot", id, "no spaces", "Bearer " + TOKEN);
    assertThat(badGroup.statusCode()).isEqualTo(400);
    assertThat(Json.mapper().readTree(badGroup.body()).path("value").asText())
        .contains("client_params.group");
  }
}
