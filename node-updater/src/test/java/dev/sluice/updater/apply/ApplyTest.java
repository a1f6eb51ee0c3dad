package dev.sluice.updater.apply;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.sluice.core.report.Action;
import dev.sluice.core.testing.TestRemote;
import dev.sluice.updater.TestNode;
import dev.sluice.updater.WorkTrees;
import dev.sluice.updater.git.SavedRetention;
import dev.sluice.updater.run.ExitCodes;
import dev.sluice.updater.run.RunRequest;
import dev.sluice.updater.run.RunResult;
import dev.sluice.updater.state.Database;
import dev.sluice.updater.state.JournalStep;
import dev.sluice.updater.state.JournalStore;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.eclipse.jgit.lib.ObjectId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApplyTest {

  @TempDir Path tmp;

  TestRemote remote;
  TestNode node;
  ObjectId good;
  Path scripts;

  @BeforeEach
  void setUp() throws IOException {
    remote = TestRemote.create(tmp);
    good =
        remote.commit(
            "master",
            "good release",
            Map.of("app.txt", "good\n", "lib/a.txt", "a\n", "lib/b.txt", "b\n"));
    node =
        new TestNode(tmp.resolve("node"), remote.uri(), Instant.parse("2026-06-01T00:00:00Z"), 7);
    node.nextTicket(0.5);
    assertThat(node.run().report().currentCommit()).isEqualTo(good.name());
    scripts = Files.createDirectories(tmp.resolve("scripts"));
  }

  @AfterEach
  void tearDown() {
    remote.close();
  }

  private Path script(String name, String body) throws IOException {
    Path file = scripts.resolve(name);
    Files.writeString(file, "#!/bin/sh\n" + body + "\n");
    file.toFile().setExecutable(true);
    return file;
  }

  private RunResult runWith(UnaryOperator<ApplySettings> settings) {
    return node.run(
        r -> r.withApply(settings.apply(ApplySettings.none(RunRequest.defaultLogDir(r.state())))));
  }

  /** Alive and not a zombie waiting to be reaped (a container's init may never reap it). */
  static boolean isRunning(long pid) {
    Optional<ProcessHandle> handle = ProcessHandle.of(pid);
    if (handle.isEmpty() || !handle.get().isAlive()) {
      return false;
    }
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
    } catch (IOException e) {
      return false;
    }
  }

  private static ApplySettings.HealthCheck command(Path script) {
    return ApplySettings.HealthCheck.parse(script.toString(), false);
  }

  @Test
  void hookSeesWhichCommitItIsCheckingAndUpdateSucceeds() throws IOException {
    Path seen = tmp.resolve("seen.txt");
    Path hook =
        script(
            "hook.sh",
            "echo \"$SLUICE_PHASE $SLUICE_CHANNEL $SLUICE_FROM $SLUICE_TO\" >> "
                + seen
                + "; cat app.txt >> "
                + seen);
    ObjectId next = remote.commit("master", "next", Map.of("app.txt", "next\n"));

    RunResult result = runWith(s -> s.withPostUpdate(new HookCommand(hook.toString(), false)));

    assertThat(result.exitCode()).isZero();
    assertThat(result.report().action()).isEqualTo(Action.UPDATED);
    assertThat(WorkTrees.read(seen))
        .isEqualTo("update stable " + good.name() + " " + next.name() + "\nnext\n");
  }

  @Test
  void failingHookRollsBackRecordsTheCommitAndShowsOutputTail() throws IOException {
    Path hook =
        script(
            "hook.sh",
            "echo 'installing dependencies'; echo 'npm ERR! missing peer' >&2; [ \"$SLUICE_PHASE\" = restore ]");
    ObjectId bad = remote.commit("master", "bad", Map.of("app.txt", "bad\n"));

    RunResult result = runWith(s -> s.withPostUpdate(new HookCommand(hook.toString(), false)));

    assertThat(result.exitCode()).isEqualTo(ExitCodes.ROLLED_BACK);
    assertThat(result.report().action()).isEqualTo(Action.ROLLED_BACK);
    assertThat(result.report().currentCommit()).isEqualTo(good.name());
    assertThat(result.report().reason().code()).isEqualTo("post-update-failed");
    assertThat(result.report().message())
        .contains("exited 1")
        .contains("npm ERR! missing peer")
        .contains("restored " + good.abbreviate(10).name())
        .contains(".log");
    WorkTrees.assertMatches(node.workdir, remote.repository(), good);
    try (Database db = Database.open(node.state, node.now())) {
      assertThat(new dev.sluice.updater.state.FailedCommitStore(db).find(bad.name()))
          .hasValueSatisfying(f -> assertThat(f.attempts()).isEqualTo(1));
      assertThat(new JournalStore(db).latest())
          .hasValueSatisfying(e -> assertThat(e.step()).isEqualTo(JournalStep.RESTORED));
    }
  }

  @Test
  void hookThatDeletesFilesAndFailsIsUndoneExactly() throws IOException {
    Path hook =
        script("hook.sh", "if [ \"$SLUICE_PHASE\" = update ]; then rm -rf lib app.txt; exit 3; fi");
    remote.commit("master", "bad", Map.of("app.txt", "bad\n", "lib/c.txt", "c\n"));

    RunResult result = runWith(s -> s.withPostUpdate(new HookCommand(hook.toString(), false)));

    assertThat(result.exitCode()).isEqualTo(ExitCodes.ROLLED_BACK);
    WorkTrees.assertMatches(node.workdir, remote.repository(), good);
  }

  @Test
  void hangingHealthCheckIsKilledWithItsChildrenAndRolledBack() throws IOException {
    Path pidFile = tmp.resolve("sleeper.pid");
    Path health =
        script(
            "health.sh",
            "if [ \"$SLUICE_PHASE\" = restore ]; then exit 0; fi; sleep 300 & echo $! > "
                + pidFile
                + "; wait");
    remote.commit("master", "hangs", Map.of("app.txt", "hangs\n"));
    long started = System.nanoTime();

    RunResult result =
        runWith(s -> s.withHealthCheck(command(health), Duration.ofMillis(700), 1, Duration.ZERO));

    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
    assertThat(result.exitCode()).isEqualTo(ExitCodes.ROLLED_BACK);
    assertThat(result.report().message()).contains("timed out");
    long sleeper = Long.parseLong(WorkTrees.read(pidFile).strip());
    Optional<ProcessHandle> child = ProcessHandle.of(sleeper);
    assertThat(child.map(ProcessHandle::isAlive).orElse(false))
        .as("grandchild sleep killed")
        .isFalse();
    WorkTrees.assertMatches(node.workdir, remote.repository(), good);
  }

  @Test
  void healthUrlMustAnswer2xxWithRetries() throws IOException {
    AtomicInteger calls = new AtomicInteger();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/health",
        exchange -> {
          int status = calls.incrementAndGet() < 3 ? 503 : 200;
          exchange.sendResponseHeaders(status, -1);
          exchange.close();
        });
    server.start();
    try {
      String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/health";
      ObjectId next = remote.commit("master", "next", Map.of("app.txt", "next\n"));
      RunResult result =
          runWith(
              s ->
                  s.withHealthCheck(
                      ApplySettings.HealthCheck.parse(url, false),
                      Duration.ofSeconds(5),
                      3,
                      Duration.ofMillis(10)));
      assertThat(result.report().action()).isEqualTo(Action.UPDATED);
      assertThat(result.report().currentCommit()).isEqualTo(next.name());
      assertThat(calls.get()).isEqualTo(3);
    } finally {
      server.stop(0);
    }
  }

  @Test
  void unhealthyUrlRollsBack() {
    String url = "http://127.0.0.1:1/health"; // nothing listens on port 1
    remote.commit("master", "next", Map.of("app.txt", "next\n"));
    RunResult result =
        runWith(
            s ->
                s.withHealthCheck(
                    ApplySettings.HealthCheck.parse(url, false),
                    Duration.ofSeconds(2),
                    1,
                    Duration.ZERO));
    // The previous commit is unhealthy too (nothing listens), so the restore cannot be verified.
    assertThat(result.exitCode()).isEqualTo(ExitCodes.BROKEN);
    assertThat(result.report().message()).contains("did not answer").contains("unhealthy too");
    WorkTrees.assertMatches(node.workdir, remote.repository(), good);
  }

  @Test
  void commitThatFailedMaxAttemptsIsHeldUntilANewerOneAppears() throws IOException {
    Path hook = script("hook.sh", "[ \"$SLUICE_PHASE\" = restore ]");
    remote.commit("master", "bad", Map.of("app.txt", "bad\n"));
    UnaryOperator<ApplySettings> failing =
        s -> s.withPostUpdate(new HookCommand(hook.toString(), false)).withMaxAttempts(2);

    assertThat(runWith(failing).exitCode()).isEqualTo(ExitCodes.ROLLED_BACK);
    assertThat(runWith(failing).exitCode()).isEqualTo(ExitCodes.ROLLED_BACK);
    RunResult held = runWith(failing);

    assertThat(held.exitCode()).isZero();
    assertThat(held.report().action()).isEqualTo(Action.HELD);
    assertThat(held.report().reason().code()).isEqualTo("max-attempts");
    assertThat(held.report().message())
        .contains("failed 2 times on this node")
        .contains("newer commit");

    ObjectId fixed = remote.commit("master", "fixed", Map.of("app.txt", "fixed\n"));
    RunResult next = runWith(s -> s.withMaxAttempts(2));
    assertThat(next.report().action()).isEqualTo(Action.UPDATED);
    assertThat(next.report().currentCommit()).isEqualTo(fixed.name());
  }

  @Test
  void failedRestoreExitsTwelveAndTheNextRunTriesAgain() throws IOException {
    Path broken = tmp.resolve("restore-breaks");
    Files.writeString(broken, "yes");
    Path hook = script("hook.sh", "[ \"$SLUICE_PHASE\" = restore ] && [ ! -f " + broken + " ]");
    ObjectId bad = remote.commit("master", "bad", Map.of("app.txt", "bad\n"));
    UnaryOperator<ApplySettings> withHook =
        s -> s.withPostUpdate(new HookCommand(hook.toString(), false));

    RunResult first = runWith(withHook);
    assertThat(first.exitCode()).isEqualTo(ExitCodes.BROKEN);
    assertThat(first.report().message()).contains("restoring").contains("failed too");
    try (Database db = Database.open(node.state, node.now())) {
      JournalStore journal = new JournalStore(db);
      JournalStore.Entry entry = journal.latest().orElseThrow();
      assertThat(entry.step()).isEqualTo(JournalStep.RESTORE_FAILED);
      assertThat(journal.steps(entry.id()))
          .extracting(line -> line.split(" ")[1])
          .containsExactly("INTENT", "SAVED", "CHECKED_OUT", "RESTORING", "RESTORE_FAILED");
    }

    Files.delete(broken);
    RunResult second = runWith(withHook);
    assertThat(second.report().warnings()).anySatisfy(w -> assertThat(w).startsWith("recovered:"));
    // Recovery restored the good commit; the bad one then failed again and was rolled back.
    assertThat(second.exitCode()).isEqualTo(ExitCodes.ROLLED_BACK);
    assertThat(second.report().currentCommit()).isEqualTo(good.name());
    WorkTrees.assertMatches(node.workdir, remote.repository(), good);
    try (Database db = Database.open(node.state, node.now())) {
      assertThat(new dev.sluice.updater.state.FailedCommitStore(db).find(bad.name()))
          .hasValueSatisfying(f -> assertThat(f.attempts()).isEqualTo(2));
    }
  }

  @Test
  void aLogFolderThatCannotBeCreatedFailsTheHookCleanlyAndKeepsTheGoodCommit() throws IOException {
    Path hook = script("hook.sh", "exit 0");
    ObjectId next = remote.commit("master", "next", Map.of("app.txt", "next\n"));
    Path logs = RunRequest.defaultLogDir(node.state);
    deleteRecursively(logs);
    Files.writeString(logs, "a file where the log folder should be\n");

    RunResult result = runWith(s -> s.withPostUpdate(new HookCommand(hook.toString(), false)));

    assertThat(result.exitCode()).isEqualTo(ExitCodes.BROKEN);
    assertThat(result.report().message())
        .contains("update to " + next.abbreviate(10).name())
        .contains("cannot create its log folder");
    assertThat(result.report().currentCommit()).isEqualTo(good.name());
    WorkTrees.assertMatches(node.workdir, remote.repository(), good);
  }

  private static void deleteRecursively(Path path) throws IOException {
    if (!Files.exists(path)) {
      return;
    }
    try (var all = Files.walk(path)) {
      for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  @Test
  void hookLogIsBounded() throws IOException {
    Path hook =
        script("hook.sh", "head -c 2000000 /dev/zero | tr '\\0' x; echo; echo last line; exit 1");
    remote.commit("master", "noisy", Map.of("app.txt", "noisy\n"));

    RunResult result = runWith(s -> s.withPostUpdate(new HookCommand(hook.toString(), false)));

    assertThat(result.report().message()).contains("last line");
    try (var logs = Files.list(RunRequest.defaultLogDir(node.state))) {
      List<Path> files = logs.toList();
      assertThat(files).isNotEmpty();
      for (Path log : files) {
        assertThat(Files.size(log)).isLessThanOrEqualTo(ProcessRunner.LOG_LIMIT + 200);
      }
    }
  }

  @Test
  void missingHookProgramFailsCleanly() {
    remote.commit("master", "next", Map.of("app.txt", "next\n"));
    RunResult result =
        runWith(s -> s.withPostUpdate(new HookCommand("/nonexistent/program --flag", false)));
    // The hook cannot run for the restore either: a person must look.
    assertThat(result.exitCode()).isEqualTo(ExitCodes.BROKEN);
    assertThat(result.report().message())
        .contains("exited 127")
        .contains("cannot start /nonexistent/program");
    WorkTrees.assertMatches(node.workdir, remote.repository(), good);
  }

  @Test
  void fullDiskDuringCheckoutRollsBackToTheGoodCommit() throws Exception {
    Path small = Files.createDirectories(tmp.resolve("small-disk"));
    Process mount =
        new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", small.toString())
            .redirectErrorStream(true)
            .start();
    org.junit.jupiter.api.Assumptions.assumeTrue(
        mount.waitFor() == 0, "needs root to mount a small tmpfs to fill");
    try {
      TestNode onSmallDisk =
          new TestNode(
              tmp.resolve("node2"), remote.uri(), Instant.parse("2026-06-01T00:00:00Z"), 9);
      onSmallDisk.nextTicket(0.5);
      Path workdir = small.resolve("workdir");
      UnaryOperator<RunRequest> onDisk =
          r -> r.toBuilder().workdir(workdir).savedRetention(SavedRetention.DEFAULT).build();
      assertThat(onSmallDisk.run(onDisk).report().currentCommit()).isEqualTo(good.name());
      // Zeros pack to almost nothing, so the fetch fits; writing the 8 MB file does not.
      remote.commit(
          "master",
          "huge",
          Map.of("data/huge.bin", "\0".repeat(8 * 1024 * 1024), "app.txt", "huge\n"));

      RunResult result = onSmallDisk.run(onDisk);
      try (var files = Files.walk(workdir)) {
        assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
      }

      assertThat(result.exitCode()).isEqualTo(ExitCodes.ROLLED_BACK);
      assertThat(result.report().message()).contains("No space left on device");
      assertThat(result.report().currentCommit()).isEqualTo(good.name());
      WorkTrees.assertMatches(workdir, remote.repository(), good);
    } finally {
      new ProcessBuilder("umount", "-l", small.toString()).start().waitFor();
    }
  }

  @Test
  void commandsAreSplitLikeAShellWithoutOne() {
    assertThat(HookCommand.split("npm ci --omit=dev")).containsExactly("npm", "ci", "--omit=dev");
    assertThat(HookCommand.split("sh -c 'echo \"a b\"; exit 2'"))
        .containsExactly("sh", "-c", "echo \"a b\"; exit 2");
    assertThat(HookCommand.split("a\\ b \"c d\" ''")).containsExactly("a b", "c d", "");
    assertThat(new HookCommand("echo $HOME && rm -rf /", true).argv())
        .containsExactly("/bin/sh", "-c", "echo $HOME && rm -rf /");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new HookCommand("echo 'oops", false))
        .hasMessageContaining("unclosed ' quote");
  }
}
