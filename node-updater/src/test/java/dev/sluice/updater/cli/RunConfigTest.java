package dev.sluice.updater.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.json.Json;
import dev.sluice.core.testing.TestRemote;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code run --config FILE}: each option comes from the file unless the command line gives it. */
class RunConfigTest {

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
        throw new AssertionError("not JSON: " + out + err, e);
      }
    }
  }

  Outcome cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = NodeUpdaterMain.run(new PrintWriter(out), new PrintWriter(err), args);
    return new Outcome(code, out.toString(), err.toString());
  }

  Path config(String name, String text) throws Exception {
    Path file = tmp.resolve(name);
    Files.writeString(file, text);
    return file;
  }

  String basics() {
    return "workdir: " + workdir + "\nremote: " + remote.uri() + "\nstate: " + state + "\n";
  }

  @Test
  void yamlSuppliesEveryKindOfValue() throws Exception {
    Path file =
        config(
            "node.yaml",
            basics()
                + "groups: [farm-1, farm-2]\n"
                + "channel: preprod\n"
                + "healthRetries: 4\n"
                + "healthTimeout: PT2S\n"
                + "preprodProbability: 0.5\n"
                + "boot: true\n"
                + "healthCheck:\n");
    Outcome outcome = cli("run", "--config", file.toString(), "--json");
    assertThat(outcome.code()).as(outcome.err()).isZero();
    assertThat(outcome.json().get("channel").asText()).isEqualTo("preprod");
    assertThat(outcome.json().get("target").get("commit").asText())
        .isEqualTo(remote.tip("preprod").name());
  }

  @Test
  void theCommandLineWinsOverTheFile() throws Exception {
    Path file = config("node.json", "{\"channel\": \"preprod\", \"remote\": \"file:///nowhere\"}");
    Outcome outcome =
        cli(
            "run",
            "--config",
            file.toString(),
            "--workdir",
            workdir.toString(),
            "--state",
            state.toString(),
            "--remote",
            remote.uri(),
            "--channel",
            "stable",
            "--json");
    assertThat(outcome.code()).as(outcome.err()).isZero();
    assertThat(outcome.json().get("channel").asText()).isEqualTo("stable");
  }

  @Test
  void aCommentOnlyFileIsEmpty() throws Exception {
    Path file = config("node.yaml", "# nothing set here\n#workdir: /srv/app\n");
    Outcome outcome = cli("run", "--config", file.toString());
    assertThat(outcome.code()).isEqualTo(2);
    assertThat(outcome.err().strip())
        .isEqualTo("node-updater: missing --workdir (give the flag or set it in --config)");
  }

  @Test
  void anUnknownKeyIsOneClearLine() throws Exception {
    Path file = config("node.yaml", basics() + "helthCheck: /bin/true\n");
    Outcome outcome = cli("run", "--config", file.toString());
    assertThat(outcome.code()).isEqualTo(2);
    assertThat(outcome.err().strip())
        .isEqualTo("node-updater: config file " + file + ": unknown key 'helthCheck'");
    assertThat(Files.exists(workdir)).isFalse();
  }

  @Test
  void aValueThatDoesNotParseNamesTheKey() throws Exception {
    Path file = config("node.yaml", basics() + "healthRetries: many\n");
    Outcome outcome = cli("run", "--config", file.toString());
    assertThat(outcome.code()).isEqualTo(2);
    assertThat(outcome.err().strip())
        .startsWith("node-updater: config file " + file + ": key 'healthRetries': ")
        .contains("many")
        .doesNotContain("\n");
    assertThat(Files.exists(workdir)).isFalse();
  }

  @Test
  void malformedFilesAreOneClearLine() throws Exception {
    Path yaml = config("bad.yaml", "workdir: [unclosed\n");
    Outcome outcome = cli("run", "--config", yaml.toString());
    assertThat(outcome.code()).isEqualTo(2);
    assertThat(outcome.err().strip()).startsWith("node-updater: config file " + yaml + ": ");
    assertThat(outcome.err().strip().lines()).hasSize(1);

    Path list = config("list.yaml", "- workdir\n");
    assertThat(cli("run", "--config", list.toString()).err())
        .contains("expected keys and values, found a list");

    Path map = config("map.yaml", "workdir:\n  path: /srv\n");
    assertThat(cli("run", "--config", map.toString()).err())
        .contains("'workdir' must be a value or a list, not a map");

    Path missing = tmp.resolve("missing.yaml");
    assertThat(cli("run", "--config", missing.toString()).err().strip())
        .isEqualTo("node-updater: config file " + missing + " does not exist");
  }

  @Test
  void everyOptionOfRunIsAKeyNamedAfterIt() {
    assertThat(ConfigDefaults.keys(new CommandLine(RunCommand.class).getCommandSpec()))
        .contains("workdir", "gitTokenFile", "groups", "preprodProbability", "keepSavedFor")
        .doesNotContain("config", "json", "now", "verbose", "help", "version", "group");
  }

  @Test
  void theRemoteIdentityTrustAndSlotOptionsAreKeysToo() {
    assertThat(ConfigDefaults.keys(new CommandLine(RunCommand.class).getCommandSpec()))
        .contains(
            "reportCa",
            "nodeName",
            "retryFor",
            "fallbackRemotes",
            "groupRemotes",
            "trust",
            "trustRevoked",
            "fleetLock")
        .doesNotContain("machineIdFile", "fallbackRemote", "groupRemote");
  }

  /** A URL nothing answers at: a loopback port that was free a moment ago. */
  private static String refusedUrl() throws Exception {
    try (java.net.ServerSocket socket =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return "http://127.0.0.1:" + socket.getLocalPort() + "/app.git";
    }
  }

  @Test
  void fallbackRemotesAndNodeNameComeFromTheFileAndTheFlagWins() throws Exception {
    Path file =
        config(
            "node.yaml",
            "workdir: "
                + workdir
                + "\nremote: "
                + refusedUrl()
                + "\nstate: "
                + state
                + "\nfallbackRemotes: ["
                + refusedUrl()
                + ", '"
                + remote.uri()
                + "']\nretryFor: PT0S\nnodeName: from-file\n");
    Outcome fromFile = cli("run", "--config", file.toString(), "--json");
    assertThat(fromFile.code()).as(fromFile.err()).isZero();
    assertThat(fromFile.json().get("remote").asText()).isEqualTo(remote.uri());
    assertThat(fromFile.json().get("name").asText()).isEqualTo("from-file");

    Outcome flagged = cli("run", "--config", file.toString(), "--node-name", "from-flag", "--json");
    assertThat(flagged.code()).as(flagged.err()).isZero();
    assertThat(flagged.json().get("name").asText()).isEqualTo("from-flag");
  }

  /** The flag replaces the file's map, as any flag does: farm-1's refusing remote is gone. */
  @Test
  void groupRemotesIsAMapInTheFileAndTheFlagReplacesIt() throws Exception {
    Path file =
        config(
            "node.yaml",
            basics()
                + "groups: [farm-1, farm-2]\nretryFor: PT0S\ngroupRemotes: {farm-1: '"
                + refusedUrl()
                + "', farm-2: '"
                + remote.uri()
                + "'}\n");
    Outcome fromFile = cli("run", "--config", file.toString(), "--json");
    assertThat(fromFile.code()).as(fromFile.err()).isZero();
    assertThat(fromFile.json().get("remote").asText()).isEqualTo(remote.uri());
    assertThat(fromFile.json().get("warnings").toString()).contains("fallback");

    Outcome flagged =
        cli(
            "run",
            "--config",
            file.toString(),
            "--group-remote",
            "farm-2=" + remote.uri(),
            "--json");
    assertThat(flagged.code()).as(flagged.err()).isZero();
    assertThat(flagged.json().get("remote").asText()).isEqualTo(remote.uri());
    assertThat(flagged.json().get("warnings").toString()).doesNotContain("fallback");
  }

  @Test
  void aGroupRemoteWithoutAUrlIsOneClearLine() throws Exception {
    Path file = config("node.yaml", basics() + "groupRemotes: {farm-1: ''}\n");
    Outcome outcome = cli("run", "--config", file.toString());
    assertThat(outcome.code()).isEqualTo(2);
    assertThat(outcome.err().strip())
        .startsWith("node-updater: config file " + file + ": groupRemotes: ")
        .doesNotContain("\n");
    assertThat(Files.exists(workdir)).isFalse();
  }

  @Test
  void trustRevokedFromTheFileNeedsTrust() throws Exception {
    Path revoked = Files.writeString(tmp.resolve("revoked"), "");
    Path file = config("node.yaml", basics() + "trustRevoked: " + revoked + "\n");
    Outcome outcome = cli("run", "--config", file.toString());
    assertThat(outcome.code()).isEqualTo(2);
    assertThat(outcome.err().strip()).isEqualTo("node-updater: --trust-revoked needs --trust");
    assertThat(Files.exists(workdir)).isFalse();
  }

  @Test
  void aNegativeRetryForInTheFileNamesTheKey() throws Exception {
    Path file = config("node.yaml", basics() + "retryFor: -PT5S\nreportCa: /nowhere.pem\n");
    Outcome outcome = cli("run", "--config", file.toString());
    assertThat(outcome.code()).isEqualTo(2);
    assertThat(outcome.err().strip()).contains("retry").doesNotContain("\n");
  }
}
