package dev.sluice.updater.git;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.json.Json;
import dev.sluice.core.testing.TestRemote;
import dev.sluice.updater.cli.NodeUpdaterMain;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.eclipse.jgit.lib.NullProgressMonitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code node-updater saved} lists the kept saved work, read-only. */
class SavedCommandTest {

  private static final Instant SAVED_AT = Instant.parse("2026-03-10T08:00:00Z");

  @TempDir Path tmp;

  record Outcome(int code, String out, String err) {}

  @Test
  void listsRefTimeFilesAndRestoreCommandAsJsonAndText() throws Exception {
    Path node = tmp.resolve("node");
    String ref;
    try (TestRemote remote = TestRemote.create(tmp);
        Workdir workdir = Workdir.open(node, remote.uri())) {
      workdir.checkout(
          workdir.fetch("refs/heads/master", NullProgressMonitor.INSTANCE),
          NullProgressMonitor.INSTANCE);
      Files.writeString(node.resolve("app.txt"), "hot fix\n");
      ref = workdir.saveLocalChanges(SAVED_AT, "test").orElseThrow().ref();
    }

    Outcome json = run("saved", "--workdir", node.toString(), "--json");

    assertThat(json.code()).as(json.err()).isZero();
    JsonNode entries = Json.mapper().readTree(json.out());
    assertThat(entries).hasSize(1);
    assertThat(entries.get(0).get("ref").asText()).isEqualTo(ref);
    assertThat(entries.get(0).get("savedAt").asText()).isEqualTo(SAVED_AT.toString());
    assertThat(entries.get(0).get("files").get(0).asText()).isEqualTo("app.txt");
    assertThat(entries.get(0).get("restore").asText())
        .isEqualTo("git -C " + node.toAbsolutePath() + " stash apply " + ref);

    Outcome text = run("saved", "--workdir", node.toString());

    assertThat(text.code()).isZero();
    assertThat(text.out()).contains(ref, "app.txt", "stash apply " + ref, "checkout " + ref);
  }

  @Test
  void aFolderWithoutRepositoryIsBadUsageInOneLine() throws Exception {
    Path empty = Files.createDirectories(tmp.resolve("empty"));

    Outcome outcome = run("saved", "--workdir", empty.toString());

    assertThat(outcome.code()).isEqualTo(2);
    assertThat(outcome.err().strip()).contains("no git repository").doesNotContain("\n");
  }

  @Test
  void runRefusesANegativeRetentionBeforeTouchingAnything() {
    Path node = tmp.resolve("node");

    Outcome outcome =
        run(
            "run",
            "--workdir",
            node.toString(),
            "--remote",
            tmp.resolve("remote.git").toUri().toString(),
            "--state",
            tmp.resolve("state.db").toString(),
            "--keep-saved",
            "-1");

    assertThat(outcome.code()).isEqualTo(2);
    assertThat(outcome.err()).contains("--keep-saved");
    assertThat(node).doesNotExist();
  }

  private static Outcome run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = NodeUpdaterMain.run(new PrintWriter(out), new PrintWriter(err), args);
    return new Outcome(code, out.toString(), err.toString());
  }
}
