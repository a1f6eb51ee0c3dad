package dev.sluice.updater.fault;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.core.testing.TestRemote;
import dev.sluice.updater.apply.FaultInjectionMain;
import dev.sluice.updater.cli.NodeUpdaterMain;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.eclipse.jgit.lib.ObjectId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The faults of issue 10 ("node-updater is never bricked"), each injected for real: lock files a
 * killed git leaves in {@code .git}, a lock a live process holds, two runs on one work tree, a tree
 * no git accepts, a clock far in the future, and runs killed with SIGKILL after saving local work.
 * Every check of the outcome reads the repository with the real {@code git} command line.
 */
class NeverBrickedFaultTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  TestRemote remote;
  GitCli git;
  Path workdir;
  Path state;
  ObjectId installed;
  final List<ChildJvm> children = new ArrayList<>();
  final List<Process> holders = new ArrayList<>();

  /** What one in-process {@code node-updater run --json} printed. */
  record Run(int exitCode, String out, String err, JsonNode json) {
    String describe() {
      return "exit "
          + exitCode
          + ", stdout: "
          + (json == null ? out.strip() : json.toString())
          + ", stderr: "
          + ChildJvm.tail(err);
    }

    String action() {
      return json == null ? "(no JSON)" : json.path("action").asText();
    }
  }

  @BeforeEach
  void setUp() {
    remote = TestRemote.create(tmp);
    git = new GitCli(tmp.resolve("home"));
    workdir = tmp.resolve("node").resolve("workdir");
    state = tmp.resolve("node").resolve("state").resolve("state.db");
    installed = remote.commit("master", "first release", files("1"));
  }

  @AfterEach
  void tearDown() {
    children.forEach(ChildJvm::close);
    holders.forEach(Process::destroyForcibly);
    remote.close();
  }

  // (a) Stale lock files left by a killed run or a killed git.

  @ParameterizedTest(name = "{0} left in .git of {1} node")
  @CsvSource({
    "refs/remotes/origin/master.lock, an installed",
    "shallow.lock, an installed",
    "packed-refs.lock, an installed",
    "config.lock, an installed",
    "config.lock, a half-installed",
  })
  void staleLockFilesAreRemovedAndTheRunReallyReachesItsTarget(String lock, String node)
      throws IOException {
    Path lockFile;
    if (node.equals("a half-installed")) {
      // A first install killed right after creating the repository.
      Files.createDirectories(workdir);
      git.run(workdir, "init", "--quiet", "--initial-branch=main");
      lockFile = workdir.resolve(".git").resolve(lock);
      Files.writeString(lockFile, Files.readString(workdir.resolve(".git/config")));
    } else {
      install();
      lockFile = workdir.resolve(".git").resolve(lock);
      Path original =
          lockFile.resolveSibling(lockFile.getFileName().toString().replace(".lock", ""));
      Files.createDirectories(lockFile.getParent());
      Files.writeString(
          lockFile, Files.exists(original) ? Files.readString(original) : installed.name() + "\n");
    }
    ObjectId target = remote.commit("master", "second release", files("2"));

    Run run = run("--channel", "stable");

    assertThat(run.exitCode()).as(run.describe()).isZero();
    assertThat(run.action()).as(run.describe()).isIn("updated", "unchanged");
    assertThat(run.json().path("currentCommit").asText())
        .as(run.describe())
        .isEqualTo(target.name());
    assertCleanCheckoutOf(target, run);
    assertThat(lockFile).as("stale %s after: %s", lock, run.describe()).doesNotExist();
  }

  // (b) A lock that a live process holds open is never deleted.

  @ParameterizedTest(name = "{0} held open by a live process")
  @ValueSource(strings = {"index.lock", "HEAD.lock", "refs/remotes/origin/master.lock"})
  void aLockHeldOpenByALiveProcessIsNotDeleted(String lock) throws Exception {
    install();
    ObjectId target = remote.commit("master", "second release", files("2"));
    Path lockFile = workdir.resolve(".git").resolve(lock);
    Process holder = holdOpen(lockFile);

    Run run = run("--channel", "stable");

    assertThat(holder.isAlive()).as("the process holding %s is still running", lock).isTrue();
    assertThat(lockFile)
        .as("%s held by pid %d, after: %s", lock, holder.pid(), run.describe())
        .exists();
    String head = git.run(workdir, "rev-parse", "HEAD").strip();
    if (run.action().equals("updated") || run.action().equals("unchanged")) {
      assertThat(head)
          .as("a run that says %s: %s", run.action(), run.describe())
          .isEqualTo(target.name());
    } else {
      assertThat(head)
          .as("the previous commit is kept: %s", run.describe())
          .isEqualTo(installed.name());
    }
    assertThat(git.run(workdir, "status", "--porcelain", "--untracked-files=no"))
        .as("tracked files after: %s", run.describe())
        .isBlank();
  }

  // (c) The work tree itself is locked: two runs with different state files.

  @Test
  @Timeout(value = 10, unit = TimeUnit.MINUTES)
  void twoRunsOnOneWorkTreeWithDifferentStateFilesNeverOverlap() throws Exception {
    install();
    // The hook of a run that got through waits until the other run has exited, or has reached
    // its own hook too (then they overlapped): so the two always meet, however slowly they start.
    Path inHook = tmp.resolve("in-hook");
    Path release = tmp.resolve("release-hooks");
    Path hook = tmp.resolve("wait.sh");
    Files.writeString(
        hook,
        "#!/bin/sh\necho $PPID >> '"
            + inHook
            + "'\nwhile [ ! -e '"
            + release
            + "' ]; do sleep 0.05; done\n");
    hook.toFile().setExecutable(true);
    List<String> failures = new ArrayList<>();
    for (int round = 1; round <= 5; round++) {
      ObjectId target = remote.commit("master", "release " + round, files("r" + round));
      Files.deleteIfExists(inHook);
      Files.deleteIfExists(release);
      ChildJvm a = startRun(tmp.resolve("a-" + round), state, hook);
      ChildJvm b =
          startRun(tmp.resolve("b-" + round), tmp.resolve("other").resolve("state.db"), hook);
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
      while (a.isAlive() && b.isAlive() && System.nanoTime() < deadline) {
        if (Files.exists(inHook) && Files.readAllLines(inHook).stream().distinct().count() > 1) {
          break; // both runs are in their hooks at once
        }
        Thread.sleep(50);
      }
      Files.writeString(release, "go\n");
      int codeA = a.waitFor(Duration.ofMinutes(2));
      int codeB = b.waitFor(Duration.ofMinutes(2));
      String outcome = "round " + round + ": " + summary(a, codeA) + "; " + summary(b, codeB);
      ChildJvm winner = codeA == 0 ? a : b;
      ChildJvm loser = winner == a ? b : a;
      int loserCode = winner == a ? codeB : codeA;
      List<String> wrong = new ArrayList<>();
      if (Files.exists(inHook) && Files.readAllLines(inHook).stream().distinct().count() > 1) {
        wrong.add("both runs were in their post-update hooks at the same time");
      }
      if ((codeA == 0) == (codeB == 0)) {
        wrong.add("not exactly one run succeeded");
      }
      if (loserCode != 2) {
        wrong.add("the refused run exited " + loserCode + ", not 2");
      }
      String refusal = loser.stdout() + loser.stderr();
      if (!refusal.contains(String.valueOf(winner.pid()))) {
        wrong.add("the refused run does not name the holder, pid " + winner.pid());
      }
      String head = git.run(workdir, "rev-parse", "HEAD").strip();
      if (!head.equals(target.name())) {
        wrong.add("HEAD is " + head + ", not the target " + target.name());
      }
      String status = git.run(workdir, "status", "--porcelain", "--untracked-files=no");
      if (!status.isBlank()) {
        wrong.add("git status: " + status.strip().replace('\n', ';'));
      }
      if (!wrong.isEmpty()) {
        failures.add(outcome + "\n   wrong: " + String.join("; ", wrong));
      }
    }
    assertThat(failures).as("rounds where the two runs were not kept apart").isEmpty();
  }

  // (d) A commit whose tree no git accepts is refused before the tree is touched.

  @ParameterizedTest(name = "a tree with a {0} entry")
  @CsvSource({".git, config", "'..', escaped.txt"})
  void aHostileTreeIsRefusedAndThePreviousCommitKept(String name, String inside)
      throws IOException {
    install();
    String config = Files.readString(workdir.resolve(".git/config"));
    ObjectId hostile =
        RemoteTrees.hostileCommit(
            remote.repository(), installed, name, inside, TestRemote.EPOCH.plusSeconds(3600));
    remote.setBranch("master", hostile);

    for (int attempt = 1; attempt <= 2; attempt++) {
      Run run = run("--channel", "stable");

      assertThat(run.exitCode()).as("run %d: %s", attempt, run.describe()).isEqualTo(11);
      assertThat(run.json()).as("run %d prints its JSON: %s", attempt, run.describe()).isNotNull();
      assertThat(run.json().path("reason").path("code").asText())
          .as("run %d: %s", attempt, run.describe())
          .isNotBlank();
      assertCleanCheckoutOf(installed, run);
      assertThat(Files.readString(workdir.resolve(".git/config"))).isEqualTo(config);
      assertThat(workdir.resolve(inside)).doesNotExist();
      assertThat(workdir.getParent().resolve(inside)).doesNotExist();
    }
  }

  // (e) Clocks lie.

  @Test
  void aTimeOutOfRangeIsRefusedBeforeAnythingIsWritten() throws IOException {
    install();

    Run far = run("--channel", "stable", "--now", "+999999999-12-31T23:59:59Z");
    ObjectId target = remote.commit("master", "second release", files("2"));
    Run next = run("--channel", "stable");

    assertThat(far.exitCode()).as(far.describe()).isEqualTo(2);
    assertThat(next.exitCode()).as("the next normal run: %s", next.describe()).isZero();
    assertThat(next.action()).as(next.describe()).isEqualTo("updated");
    assertCleanCheckoutOf(target, next);
  }

  @Test
  void aTicketDrawnInTheFutureIsRedrawnWithAWarning() throws IOException {
    install();
    remote.setBranch("preprod", installed); // whatever the tickets say, the node stays put
    Run future = run("--now", "2099-01-15T00:00:00Z");
    assertThat(future.json()).as(future.describe()).isNotNull();
    assertThat(future.json().path("lottery").path("drawnAt").asText()).startsWith("2099");

    Instant back = Instant.parse("2026-11-29T12:00:00Z");
    Run run = run("--now", back.toString());

    assertThat(run.exitCode()).as(run.describe()).isZero();
    Instant drawnAt = Instant.parse(run.json().path("lottery").path("drawnAt").asText());
    assertThat(drawnAt).as("the ticket's draw time: %s", run.describe()).isBeforeOrEqualTo(back);
    List<String> warnings = new ArrayList<>();
    run.json().path("warnings").forEach(w -> warnings.add(w.asText()));
    assertThat(warnings)
        .as("a warning says the future ticket was redrawn: %s", run.describe())
        .anySatisfy(
            w -> assertThat(w.toLowerCase(Locale.ROOT)).containsAnyOf("ticket", "2099", "future"));
  }

  // (f) Only real failures count against a release.

  @Test
  @Timeout(value = 10, unit = TimeUnit.MINUTES)
  void runsKilledAfterSavingDoNotHoldTheRelease() throws Exception {
    install();
    ObjectId target = remote.commit("master", "second release", files("2"));
    Path marker = tmp.resolve("marker");
    for (int kill = 1; kill <= 3; kill++) {
      Files.writeString(workdir.resolve("app.txt"), "operator's hot fix " + kill + "\n");
      Files.deleteIfExists(marker);
      ChildJvm child =
          ChildJvm.start(
              tmp.resolve("killed-" + kill),
              Map.of("HOME", tmp.resolve("home").toString()),
              FaultInjectionMain.class,
              List.of(
                  workdir.toString(), remote.uri(), state.toString(), "SAVED", marker.toString()));
      children.add(child);
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
      while (!Files.exists(marker)) {
        assertThat(child.isAlive())
            .as("run %d reaches SAVED; stderr: %s", kill, ChildJvm.tail(child.stderr()))
            .isTrue();
        assertThat(System.nanoTime()).as("run %d reaches SAVED in time", kill).isLessThan(deadline);
        Thread.sleep(20);
      }
      assertThat(child.kill()).as("run %d was killed", kill).isTrue();
    }

    Run run = run("--channel", "stable");

    assertThat(run.exitCode()).as(run.describe()).isZero();
    assertThat(run.action())
        .as("three interrupted runs are no failed release: %s", run.describe())
        .isEqualTo("updated");
    assertCleanCheckoutOf(target, run);
  }

  private void install() {
    Run run = run("--channel", "stable");
    assertThat(run.exitCode()).as("installing the node: %s", run.describe()).isZero();
    assertThat(git.run(workdir, "rev-parse", "HEAD").strip()).isEqualTo(installed.name());
  }

  private Run run(String... extra) {
    List<String> args = new ArrayList<>(runArgs(state));
    args.addAll(List.of(extra));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        NodeUpdaterMain.run(
            new PrintWriter(out), new PrintWriter(err), args.toArray(new String[0]));
    JsonNode json;
    try {
      json = out.toString().isBlank() ? null : JSON.readTree(out.toString());
    } catch (IOException e) {
      json = null;
    }
    return new Run(code, out.toString(), err.toString(), json);
  }

  private List<String> runArgs(Path stateFile) {
    return List.of(
        "run",
        "--workdir",
        workdir.toString(),
        "--remote",
        remote.uri(),
        "--state",
        stateFile.toString(),
        "--json");
  }

  private ChildJvm startRun(Path logBase, Path stateFile, Path hook) {
    List<String> args = new ArrayList<>(runArgs(stateFile));
    args.addAll(List.of("--channel", "stable", "--post-update", hook.toString()));
    ChildJvm child =
        ChildJvm.start(
            logBase,
            Map.of("HOME", tmp.resolve("home").toString(), "GIT_CONFIG_NOSYSTEM", "1"),
            NodeUpdaterMain.class,
            args);
    children.add(child);
    return child;
  }

  /** A shell that opens the file for appending and keeps it open (as sleep) for a minute. */
  private Process holdOpen(Path file) throws Exception {
    Files.createDirectories(file.getParent());
    Process holder =
        new ProcessBuilder("sh", "-c", "exec 3>>\"$0\"; exec sleep 60", file.toString())
            .redirectErrorStream(true)
            .start();
    holders.add(holder);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!Files.exists(file)) {
      assertThat(System.nanoTime()).as("%s is opened", file).isLessThan(deadline);
      Thread.sleep(10);
    }
    Thread.sleep(200); // the shell has exec'd sleep, which now holds the file open
    return holder;
  }

  /** HEAD is the commit, every tracked file equals its tree, no stray temporary files. */
  private void assertCleanCheckoutOf(ObjectId commit, Run run) throws IOException {
    assertThat(git.run(workdir, "rev-parse", "HEAD").strip())
        .as("HEAD after: %s", run.describe())
        .isEqualTo(commit.name());
    assertThat(git.run(workdir, "status", "--porcelain", "--untracked-files=no"))
        .as("tracked files after: %s", run.describe())
        .isBlank();
    try (Stream<Path> files = Files.walk(workdir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .as("temporary files of a checkout")
          .noneMatch(n -> n.matches("\\._.*\\.tmp"));
    }
  }

  /** A child run in one line: its exit code and what it said. */
  private static String summary(ChildJvm child, int code) {
    String[] errors = child.stderr().strip().split("\n");
    String said = "stderr: " + errors[errors.length - 1];
    try {
      JsonNode json = JSON.readTree(child.stdout());
      if (json != null && json.has("action")) {
        said = json.path("action").asText() + ": " + json.path("message").asText();
      }
    } catch (IOException e) {
      // not JSON: the last line of stderr says it
    }
    return "pid " + child.pid() + " exited " + code + " (" + said + ")";
  }

  private static Map<String, String> files(String version) {
    return Map.of(
        "app.txt", "version " + version + "\n",
        "lib/util.txt", "util " + version + "\n",
        "README.md", "release " + version + "\n");
  }
}
