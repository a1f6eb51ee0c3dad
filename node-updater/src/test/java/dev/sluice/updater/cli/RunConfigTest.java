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
}
