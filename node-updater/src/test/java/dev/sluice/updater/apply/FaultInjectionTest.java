package dev.sluice.updater.apply;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.report.Action;
import dev.sluice.core.testing.TestRemote;
import dev.sluice.updater.TestNode;
import dev.sluice.updater.WorkTrees;
import dev.sluice.updater.run.RunResult;
import dev.sluice.updater.state.Database;
import dev.sluice.updater.state.JournalStore;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Kills a real node-updater JVM with SIGKILL at each step of applying a change; the next run must
 * end with the tracked files exactly at a good commit, and the operator's local edit not lost.
 */
class FaultInjectionTest {

  @TempDir Path tmp;

  TestRemote remote;
  TestNode node;
  ObjectId good;
  ObjectId next;
  Path marker;

  @BeforeEach
  void setUp() {
    remote = TestRemote.create(tmp);
    Map<String, String> files = new HashMap<>();
    for (int i = 0; i < 120; i++) {
      files.put("src/file" + i + ".txt", "good " + i + "\n");
    }
    good = remote.commit("master", "good", files);
    node = new TestNode(tmp.resolve("node"), remote.uri(), Instant.now(), 3);
    node.nextTicket(0.9);
    node.run();
    Map<String, String> changed = new HashMap<>();
    for (int i = 0; i < 120; i++) {
      changed.put("src/file" + i + ".txt", "next " + i + "\n");
      changed.put("src/added" + i + ".txt", "added " + i + "\n");
    }
    next = remote.commit("master", "next", changed);
    marker = tmp.resolve("marker");
  }

  @AfterEach
  void tearDown() {
    remote.close();
  }

  @ParameterizedTest(name = "killed at {0}")
  @CsvSource({
    "INTENT, '', ''",
    "SAVED, '', ''",
    "CHECKOUT, '', ''",
    "CHECKED_OUT, '', ''",
    "HOOK, hook, ''",
    "HEALTH, '', health",
    "HEALTHY, '', ''",
    "RESTORING, failing-hook, ''",
  })
  void nextRunEndsAtAGoodCommitWithNothingLost(String point, String hookKind, String healthKind)
      throws Exception {
    Files.writeString(node.workdir.resolve("src/file1.txt"), "operator's hot fix\n");
    String hook =
        switch (hookKind) {
          case "hook" -> script("hook.sh", "touch " + marker + "; sleep 300").toString();
          case "failing-hook" -> script("hook.sh", "exit 1").toString();
          default -> "";
        };
    String health =
        healthKind.isEmpty()
            ? ""
            : script("health.sh", "touch " + marker + "; sleep 300").toString();
    String listenerPoint =
        switch (point) {
          case "HOOK", "HEALTH" -> "none";
          default -> point;
        };

    killAt(listenerPoint, hook, health);

    // The next run recovers (restore or finish), then does its normal work.
    RunResult after = node.run();

    assertThat(after.report().warnings()).anySatisfy(w -> assertThat(w).startsWith("recovered:"));
    assertThat(after.report().action()).isIn(Action.UPDATED, Action.UNCHANGED);
    assertThat(after.report().currentCommit()).isEqualTo(next.name());
    WorkTrees.assertMatches(node.workdir, remote.repository(), next);
    try (Database db = Database.open(node.state, node.now())) {
      assertThat(new JournalStore(db).unfinished()).isEmpty();
    }
    assertThat(findHotFix()).as("the operator's edit is kept somewhere").isTrue();
  }

  private void killAt(String point, String hook, String health) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"))
            .replace(' ', File.pathSeparatorChar));
    command.add(FaultInjectionMain.class.getName());
    command.addAll(
        List.of(
            node.workdir.toString(),
            remote.uri(),
            node.state.toString(),
            point,
            marker.toString(),
            hook,
            health));
    Process child =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(tmp.resolve("child.log").toFile())
            .start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!Files.exists(marker)) {
        assertThat(child.isAlive())
            .as("child still running; log: %s", Files.readString(tmp.resolve("child.log")))
            .isTrue();
        assertThat(System.nanoTime()).as("child reached the point in time").isLessThan(deadline);
        Thread.sleep(20);
      }
    } finally {
      List<ProcessHandle> hooks = child.descendants().toList();
      child.destroyForcibly(); // SIGKILL on Linux
      child.waitFor(10, TimeUnit.SECONDS);
      hooks.forEach(ProcessHandle::destroyForcibly);
    }
  }

  private boolean findHotFix() throws IOException {
    if (WorkTrees.read(node.workdir.resolve("src/file1.txt")).equals("operator's hot fix\n")) {
      return true;
    }
    try (Git git = Git.open(node.workdir.toFile())) {
      List<Ref> candidates =
          new ArrayList<>(
              git.getRepository().getRefDatabase().getRefsByPrefix("refs/sluice/saved/"));
      Ref stash = git.getRepository().exactRef("refs/stash");
      if (stash != null) {
        candidates.add(stash);
      }
      for (Ref ref : candidates) {
        if ("operator's hot fix\n"
            .equals(
                WorkTrees.treeOf(git.getRepository(), ref.getObjectId()).get("src/file1.txt"))) {
          return true;
        }
      }
    }
    return false;
  }

  private Path script(String name, String body) throws IOException {
    Path file = tmp.resolve(name);
    Files.writeString(file, "#!/bin/sh\n" + body + "\n");
    file.toFile().setExecutable(true);
    return file;
  }
}
