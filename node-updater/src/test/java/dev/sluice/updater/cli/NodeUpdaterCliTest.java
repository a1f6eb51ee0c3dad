package dev.sluice.updater.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.json.Json;
import dev.sluice.core.testing.TestRemote;
import dev.sluice.updater.state.StateLock;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeUpdaterCliTest {

  @TempDir Path tmp;

  TestRemote remote;
  Path workdir;
  Path state;

  @BeforeEach
  void setUp() {
    remote = TestRemote.create(tmp);
    workdir = tmp.resolve("workdir");
    state = tmp.resolve("state.db");
  }

  @AfterEach
  void tearDown() {
    remote.close();
  }

  record Outcome(int code, String out, String err) {
    JsonNode json() {
      try {
        return Json.mapper().readTree(out);
      } catch (Exception e) {
        throw new AssertionError("not JSON: " + out, e);
      }
    }
  }

  Outcome cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = NodeUpdaterMain.run(new PrintWriter(out), new PrintWriter(err), args);
    return new Outcome(code, out.toString(), err.toString());
  }

  Outcome run(String... extra) {
    String[] base = {
      "run", "--workdir", workdir.toString(), "--remote", remote.uri(), "--state", state.toString()
    };
    String[] all = new String[base.length + extra.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(extra, 0, all, base.length, extra.length);
    return cli(all);
  }

  @Test
  void runJsonPrintsTheContractFields() {
    Outcome outcome = run("--json", "--now", "2026-05-01T00:00:00Z", "--channel", "preprod");

    assertThat(outcome.code()).isZero();
    JsonNode json = outcome.json();
    for (String field :
        new String[] {
          "node",
          "channel",
          "preprod",
          "lottery",
          "target",
          "previousCommit",
          "currentCommit",
          "action",
          "message"
        }) {
      assertThat(json.has(field)).as(field).isTrue();
    }
    for (String field : new String[] {"ticket", "weight", "drawnAt", "nextDrawAt", "reason"}) {
      assertThat(json.get("lottery").has(field)).as("lottery." + field).isTrue();
    }
    assertThat(json.get("channel").asText()).isEqualTo("preprod");
    assertThat(json.get("preprod").asBoolean()).isTrue();
    assertThat(json.get("action").asText()).isEqualTo("updated");
    assertThat(json.get("lottery").get("drawnAt").asText()).isEqualTo("2026-05-01T00:00:00Z");
    assertThat(json.get("lottery").get("nextDrawAt").asText()).isEqualTo("2026-06-01T00:00:00Z");
    assertThat(json.get("target").get("commit").asText()).isEqualTo(remote.tip("preprod").name());
  }

  @Test
  void humanSummarySaysChannelWhyAndFromTo() {
    Outcome outcome = run("--channel", "stable");
    assertThat(outcome.code()).isZero();
    assertThat(outcome.out())
        .contains("rides stable: pinned to stable (--channel stable)")
        .contains("installed stable: nothing -> " + remote.tip("master").abbreviate(10).name());
  }

  @Test
  void offlineExitsTenWithOneLine() {
    String nowhere = tmp.resolve("nowhere.git").toUri().toString();
    Outcome outcome =
        cli(
            "run",
            "--workdir",
            workdir.toString(),
            "--remote",
            nowhere,
            "--state",
            state.toString(),
            "--retry-for",
            "PT0S");
    assertThat(outcome.code()).isEqualTo(10);
    assertThat(outcome.out()).contains("unreachable");
  }

  /** A URL nothing answers at: a loopback port that was free a moment ago. */
  private static String refusedUrl() throws Exception {
    try (java.net.ServerSocket socket =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return "http://127.0.0.1:" + socket.getLocalPort() + "/app.git";
    }
  }

  @Test
  void nodeNameFallbackRemoteAndRetryForComeFromFlags() throws Exception {
    Path machineId =
        Files.writeString(tmp.resolve("machine-id"), "0123456789abcdef0123456789abcdef");
    Outcome outcome =
        cli(
            "run",
            "--workdir",
            workdir.toString(),
            "--remote",
            refusedUrl(),
            "--fallback-remote",
            remote.uri(),
            "--retry-for",
            "PT0S",
            "--node-name",
            "edge-7",
            "--machine-id-file",
            machineId.toString(),
            "--state",
            state.toString(),
            "--json");

    assertThat(outcome.code()).as(outcome.err()).isZero();
    JsonNode json = outcome.json();
    assertThat(json.get("name").asText()).isEqualTo("edge-7");
    assertThat(json.get("remote").asText()).isEqualTo(remote.uri());
    assertThat(json.get("updaterVersion").asText()).isNotBlank();
    assertThat(json.get("warnings").toString()).contains("served by fallback remote");

    Files.delete(state);
    Outcome again =
        cli(
            "run",
            "--workdir",
            workdir.toString(),
            "--remote",
            remote.uri(),
            "--machine-id-file",
            machineId.toString(),
            "--state",
            state.toString(),
            "--json");
    assertThat(again.json().get("node").asText()).isEqualTo(json.get("node").asText());
  }

  @Test
  void aGroupsRemoteFromTheConfigFileIsTriedFirst() throws Exception {
    Path config =
        Files.writeString(
            tmp.resolve("node.yaml"),
            "workdir: "
                + workdir
                + "\nremote: "
                + refusedUrl()
                + "\nstate: "
                + state
                + "\ngroups: [farm-1]\ngroupRemotes: {farm-1: '"
                + remote.uri()
                + "'}\nretryFor: PT0S\nnodeName: farm-1-node-3\nfallbackRemotes: []\n");

    Outcome outcome = cli("run", "--config", config.toString(), "--json");

    assertThat(outcome.code()).as(outcome.err()).isZero();
    assertThat(outcome.json().get("remote").asText()).isEqualTo(remote.uri());
    assertThat(outcome.json().get("name").asText()).isEqualTo("farm-1-node-3");
    assertThat(outcome.json().get("warnings").toString()).doesNotContain("fallback");
  }

  @Test
  void aNegativeRetryForIsBadUsage() {
    Outcome outcome = run("--retry-for", "-PT5S");

    assertThat(outcome.code()).isEqualTo(2);
    assertThat(outcome.err().strip()).contains("--retry-for").doesNotContain("\n");
  }

  @Test
  void lockedStateExitsTwoNamingTheHolder() {
    try (StateLock lock = StateLock.acquire(state, Instant.now())) {
      Outcome outcome = run();
      assertThat(outcome.code()).isEqualTo(2);
      assertThat(outcome.err().strip())
          .startsWith("node-updater: state file")
          .contains("pid " + ProcessHandle.current().pid())
          .doesNotContain("\n")
          .doesNotContain("Exception");
    }
  }

  @Test
  void badUsageExitsTwo() {
    assertThat(run("--channel", "sideways").code()).isEqualTo(2);
    assertThat(run("--preprod-probability", "1.5").code()).isEqualTo(2);
    assertThat(cli("run", "--workdir", workdir.toString()).code()).isEqualTo(2);
    Outcome badRemote =
        cli("run", "--workdir", workdir.toString(), "--remote", " ", "--state", state.toString());
    assertThat(badRemote.code()).isEqualTo(2);
    assertThat(badRemote.err()).contains("no remote URL given");
  }

  @Test
  void jsonAndVerboseAreAcceptedBeforeTheSubcommand() {
    Outcome outcome =
        cli(
            "--json",
            "run",
            "--workdir",
            workdir.toString(),
            "--remote",
            remote.uri(),
            "--state",
            state.toString());
    assertThat(outcome.code()).isZero();
    assertThat(outcome.json().get("action").asText()).isEqualTo("updated");
  }

  @Test
  void helpListsExitCodes() {
    Outcome outcome = cli("--help");
    assertThat(outcome.code()).isZero();
    assertThat(outcome.out())
        .contains("Exit codes:")
        .contains("10")
        .contains("remote unreachable")
        .contains("12");
  }

  @Test
  void statusShowsStateAndRunsWithoutNetwork() throws Exception {
    run("--channel", "stable");
    Files.move(remote.dir(), tmp.resolve("gone.git"));

    Outcome human = cli("status", "--state", state.toString());
    assertThat(human.code()).isZero();
    assertThat(human.out())
        .contains("ticket")
        .contains("channel   stable")
        .contains("installed stable");

    Outcome json = cli("status", "--state", state.toString(), "--json");
    assertThat(json.json().get("runs").get(0).get("action").asText()).isEqualTo("updated");
    assertThat(json.json().get("lottery").get("ticket").isNumber()).isTrue();
    Files.move(tmp.resolve("gone.git"), remote.dir());
  }

  @Test
  void statusWithoutStateFileSaysSo() {
    Outcome outcome = cli("status", "--state", tmp.resolve("none.db").toString());
    assertThat(outcome.code()).isEqualTo(2);
    assertThat(outcome.err()).contains("has not run here yet");
    assertThat(Files.exists(tmp.resolve("none.db"))).isFalse();
  }
}
