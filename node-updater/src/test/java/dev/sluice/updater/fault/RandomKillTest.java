package dev.sluice.updater.fault;

import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.core.testing.TestRemote;
import dev.sluice.updater.cli.NodeUpdaterMain;
import dev.sluice.updater.fault.RemoteTrees.FileSpec;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILLs real {@code node-updater run} JVMs at random moments, across cold installs and channel
 * switches with local work present, and checks with the real {@code git} command line that the next
 * run always ends on a clean checkout of a known-good commit, with no stray files, nothing local
 * lost, and an output that names where the local work went.
 *
 * <p>Each round starts a child JVM running the real command ({@code run --channel ... --json}),
 * sleeps a delay drawn from a seeded {@link Random} between 0 and the measured duration of an
 * uninterrupted run (plus the hook's pause when the round's post-update hook is slow, so kills land
 * in hooks too; in half the rounds the delay counts from the moment the run holds its state lock,
 * so that JVM start-up does not take most of the kills), kills it with {@link
 * Process#destroyForcibly()} (SIGKILL on Linux), then runs node-updater again in-process as the
 * recovering run and checks:
 *
 * <ul>
 *   <li>the recovering run exits 0 saying {@code updated} or {@code unchanged} at the round's
 *       target;
 *   <li>{@code git rev-parse HEAD} is a commit one of the remote's channels pointed at, and {@code
 *       git status --porcelain --untracked-files=no} is empty, and {@code git fsck --strict} finds
 *       nothing broken or missing;
 *   <li>no stray files: nothing in the tree but the commit's files and the operator's own untracked
 *       files (no {@code ._*.tmp}, nothing an interrupted checkout wrote), no {@code *.lock} in
 *       {@code .git};
 *   <li>every local edit, untracked file and {@code chmod +x} made before the killed run is still
 *       in the tree or in a commit under {@code refs/sluice/saved/} (read with {@code git
 *       ls-tree}), and the recovering run's JSON names such a ref whenever the work is no longer in
 *       the tree.
 * </ul>
 *
 * <p>Rounds alternate between cold installs (an empty workdir; every third round) and switches
 * between stable and preprod whose trees differ by added, deleted and modified files, a file whose
 * mode changes and a directory replaced by a file. Each switch moves to a new descendant of the
 * node's commit, so no policy rule holds the node.
 *
 * <p>Size and seed: {@code -Dsluice.faultloop.rounds=N} (default {@value #DEFAULT_ROUNDS}, sized
 * for CI) and {@code -Dsluice.faultloop.seed=S} (default: a fresh seed, printed in every failure),
 * e.g. {@code mvn -B verify -pl node-updater -am -Dtest=RandomKillTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Dsluice.faultloop.rounds=300}. Kill times are real time,
 * so a seed repeats the scenario (channels, trees, local work, delays), not every landing. Every
 * round runs even after a failure (a failed node is replaced by a fresh install), and the test then
 * fails listing every bad round: its number, the seed, where the kill landed (elapsed time, the
 * journal steps the killed run recorded) and what was wrong.
 */
class RandomKillTest {

  static final int DEFAULT_ROUNDS = 30;

  private static final long SLOW_HOOK_MILLIS = 700;
  private static final Duration RUN_TIMEOUT = Duration.ofSeconds(120);
  private static final int MODIFIED_FILES = 80;
  private static final int SIDE_FILES = 30;
  private static final int COMMON_FILES = 60;
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  private final List<ChildJvm> children = new ArrayList<>();
  private final ExecutorService inProcess = Executors.newSingleThreadExecutor();
  private Path hookPids;

  @AfterEach
  void tearDown() {
    children.forEach(ChildJvm::close);
    killHooks();
    inProcess.shutdownNow();
  }

  @Test
  @Timeout(value = 6, unit = TimeUnit.HOURS) // bounded per run instead: see RUN_TIMEOUT
  void everyKilledRunIsFollowedByACleanKnownGoodCheckoutWithNothingLost() throws Exception {
    int rounds = Integer.getInteger("sluice.faultloop.rounds", DEFAULT_ROUNDS);
    long seed = Long.getLong("sluice.faultloop.seed", new SecureRandom().nextLong());
    new Loop(rounds, seed).run();
  }

  /** One node under test: its working tree, state file and what the test put there. */
  private static final class Node {
    final Path workdir;
    final Path state;
    final Set<String> untracked = new TreeSet<>();
    String channel;
    ObjectId head;

    Node(Path dir) {
      this.workdir = dir.resolve("workdir");
      this.state = dir.resolve("state").resolve("state.db");
    }
  }

  /** How long an uninterrupted run took, and when it held its state lock (-1: never seen). */
  private record Timing(long millis, long lockedMillis) {
    @Override
    public String toString() {
      return millis + " ms (state lock at " + lockedMillis + " ms)";
    }
  }

  /** A piece of local work made before a switch, and how to recognise it. */
  private record LocalWork(String kind, String path, String content) {
    boolean isChmod() {
      return kind.equals("chmod +x");
    }

    String describe() {
      return kind + " " + path;
    }
  }

  /** What the recovering run printed. */
  private record Recovery(int exitCode, String out, String err, JsonNode json) {
    String describe() {
      if (json == null) {
        return "exit " + exitCode + ", no JSON; stderr: " + ChildJvm.tail(err);
      }
      return "exit "
          + exitCode
          + ", action "
          + json.path("action").asText()
          + ", message \""
          + json.path("message").asText()
          + "\", savedLocalChanges "
          + json.path("savedLocalChanges").asText("null")
          + ", warnings "
          + json.path("warnings");
    }
  }

  private final class Loop {
    final int rounds;
    final long seed;
    final Random random;
    final GitCli git;
    final TestRemote remote;
    final Path hookDelay;
    final Path hook;
    final Set<ObjectId> knownGood = new java.util.HashSet<>();
    final Map<ObjectId, Integer> versions = new HashMap<>();
    final Map<String, Map<String, String[]>> treeCache = new HashMap<>();
    final List<String> failures = new ArrayList<>();
    final Map<String, Integer> landings = new TreeMap<>();
    Instant clock = TestRemote.EPOCH;
    int nextVersion;
    int kills;
    Timing cold;
    Timing switching;

    Loop(int rounds, long seed) throws IOException {
      this.rounds = rounds;
      this.seed = seed;
      this.random = new Random(seed);
      this.git = new GitCli(tmp.resolve("home"));
      this.remote = TestRemote.create(tmp);
      this.hookDelay = tmp.resolve("hook-delay");
      hookPids = tmp.resolve("hook-pids");
      this.hook = tmp.resolve("post-update.sh");
      Files.writeString(hookDelay, "0\n");
      Files.writeString(
          hook,
          "#!/bin/sh\n"
              + "echo $$ >> '"
              + hookPids
              + "'\n"
              + "exec sleep \"$(cat '"
              + hookDelay
              + "')\"\n");
      hook.toFile().setExecutable(true);
      knownGood.add(remote.tip("master"));
    }

    void run() throws Exception {
      System.out.printf("random kill test: %d rounds, seed %d%n", rounds, seed);
      ObjectId first = newVersion(remote.tip("master"), 0);
      remote.setBranch("master", first);
      remote.setBranch("preprod", first);
      long cpuAtStart = cpuSeconds();
      Node node = measure(first);
      long started = System.nanoTime();
      for (int round = 1; round <= rounds; round++) {
        boolean cold = round % 3 == 0;
        if (!cold && node == null) {
          node = install(tmp.resolve("node-" + round + "-base"), "stable");
        }
        String header;
        List<String> problems = new ArrayList<>();
        if (cold) {
          node = new Node(tmp.resolve("node-" + round));
          node.channel = random.nextBoolean() ? "stable" : "preprod";
          ObjectId target = remote.tip(branch(node.channel));
          header = "cold install of " + node.channel + " (" + abbreviate(target) + ")";
          header += round(round, node, target, List.of(), problems);
        } else {
          String to = node.channel.equals("stable") ? "preprod" : "stable";
          ObjectId target = newVersion(node.head, versions.get(node.head) + 1);
          remote.setBranch(branch(to), target);
          List<LocalWork> work = makeLocalWork(node, round);
          header =
              "switch "
                  + node.channel
                  + " -> "
                  + to
                  + " ("
                  + abbreviate(node.head)
                  + " -> "
                  + abbreviate(target)
                  + "), local work: "
                  + work.stream().map(LocalWork::describe).collect(Collectors.joining(", "));
          node.channel = to;
          header += round(round, node, target, work, problems);
        }
        String line = "round " + round + " of " + rounds + ": " + header;
        if (problems.isEmpty()) {
          System.out.println(line + "\n  ok");
        } else {
          String report =
              line
                  + "\n  seed "
                  + seed
                  + " (-Dsluice.faultloop.seed="
                  + seed
                  + ")\n  wrong:\n   - "
                  + String.join("\n   - ", problems);
          System.out.println(report);
          failures.add(report);
          node = null; // the next switch starts from a fresh install
        }
      }
      long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
      String summary =
          String.format(
              "%d rounds (seed %d) in %d s (%s): %d runs killed, landings %s, %d round(s) wrong",
              rounds,
              seed,
              seconds,
              cpuSeconds() < 0
                  ? "CPU time unknown"
                  : (cpuSeconds() - cpuAtStart) + " s of CPU with the child JVMs",
              kills,
              landings,
              failures.size());
      System.out.println(summary);
      if (!failures.isEmpty()) {
        fail(
            summary
                + "\n\n"
                + String.join("\n\n", failures.subList(0, Math.min(20, failures.size())))
                + (failures.size() > 20 ? "\n\n(and " + (failures.size() - 20) + " more)" : ""));
      }
    }

    /**
     * Measures an uninterrupted cold install and switch in child JVMs; returns the node they left,
     * on preprod.
     */
    Node measure(ObjectId first) throws Exception {
      Node node = new Node(tmp.resolve("node-measure"));
      node.channel = "stable";
      cold = timedRun(node, "measure-cold");
      node.head = first;
      ObjectId next = newVersion(first, 1);
      remote.setBranch("preprod", next);
      makeLocalWork(node, 0);
      node.channel = "preprod";
      switching = timedRun(node, "measure-switch");
      node.head = next;
      System.out.printf(
          "uninterrupted runs: cold install %s, switch %s (kills drawn up to these, plus %d ms with"
              + " a slow hook)%n",
          cold, switching, SLOW_HOOK_MILLIS);
      return node;
    }

    Timing timedRun(Node node, String name) throws Exception {
      ChildJvm child = start(node, name);
      long locked = waitForStateLock(child, node, RUN_TIMEOUT.toMillis());
      int code = child.waitFor(RUN_TIMEOUT);
      long millis = child.elapsedMillis();
      if (code != 0) {
        fail(
            "an uninterrupted run (%s) exited %d; stdout: %s%nstderr: %s",
            name, code, child.stdout(), ChildJvm.tail(child.stderr()));
      }
      return new Timing(millis, locked);
    }

    /** The state lock file's text names this child as its holder. */
    boolean names(String lockText, ChildJvm child) {
      return java.util.regex.Pattern.compile("\\bpid " + child.pid() + "\\b")
          .matcher(lockText)
          .find();
    }

    /** Whether the (dead) child had taken its state lock: the lock file names its pid. */
    boolean heldStateLock(ChildJvm child, Node node) {
      Path lock = node.state.resolveSibling(node.state.getFileName() + ".lock");
      try {
        return Files.exists(lock) && names(Files.readString(lock), child);
      } catch (IOException e) {
        return false;
      }
    }

    /**
     * Waits until the child run holds its state lock (the lock file names its pid): the end of the
     * JVM's start-up. Returns the child's elapsed time then, or -1 when it never showed.
     */
    long waitForStateLock(ChildJvm child, Node node, long timeoutMillis) throws Exception {
      Path lock = node.state.resolveSibling(node.state.getFileName() + ".lock");
      while (child.isAlive() && child.elapsedMillis() < timeoutMillis) {
        try {
          if (Files.exists(lock) && names(Files.readString(lock), child)) {
            return child.elapsedMillis();
          }
        } catch (IOException e) {
          // being rewritten; look again
        }
        Thread.sleep(2);
      }
      return -1;
    }

    /** A node installed without faults (in-process), to switch from. */
    Node install(Path dir, String channel) throws Exception {
      Node node = new Node(dir);
      node.channel = channel;
      Recovery run = runInProcess(node);
      if (run.exitCode() != 0 || run.json() == null) {
        fail("installing a fresh node failed: %s", run.describe());
      }
      node.head = ObjectId.fromString(run.json().path("currentCommit").asText());
      return node;
    }

    /** One killed run and its recovery; returns the kill's description, adds what was wrong. */
    String round(int round, Node node, ObjectId target, List<LocalWork> work, List<String> problems)
        throws Exception {
      boolean slowHook = random.nextInt(3) == 0;
      boolean afterStartUp = random.nextBoolean();
      double share = random.nextDouble();
      Timing timing = Files.exists(node.workdir) ? switching : cold;
      long measured = timing.millis() + (slowHook ? SLOW_HOOK_MILLIS : 0);
      Map<String, String> savedBefore = savedRefs(node);
      long stepsBefore = JournalProbe.stepsAfter(node.state, 0).lastId();
      Files.writeString(hookDelay, slowHook ? (SLOW_HOOK_MILLIS / 1000.0) + "\n" : "0\n");
      Files.deleteIfExists(hookPids);

      ChildJvm child = start(node, "round-" + round);
      // Half the rounds draw the moment from the whole run; the other half from the part after
      // the JVM's start-up (once the run holds its state lock), where the work is.
      long delay = (long) (share * measured);
      String from = "the start";
      if (afterStartUp && timing.lockedMillis() >= 0) {
        long locked = waitForStateLock(child, node, measured);
        if (locked >= 0) {
          delay = locked + (long) (share * Math.max(1, measured - timing.lockedMillis()));
          from = "the state lock taken at " + locked + " ms";
        }
      }
      Thread.sleep(Math.max(0, delay - child.elapsedMillis()));
      boolean hookRunning = hookRunning();
      long killedAt = child.elapsedMillis();
      boolean killed = child.kill();
      killHooks();
      Files.writeString(hookDelay, "0\n");
      JournalProbe.Steps steps = JournalProbe.stepsAfter(node.state, stepsBefore);
      String landing;
      if (killed) {
        kills++;
        landing =
            (steps.names().isEmpty()
                    ? (heldStateLock(child, node)
                        ? "before INTENT (lottery, remote, fetch)"
                        : "in JVM start-up")
                    : "after " + steps.last())
                + (hookRunning ? ", in the hook" : "");
      } else {
        landing = "not killed (finished first)";
      }
      landings.merge(landing, 1, Integer::sum);
      Map<String, String> savedByKilledRun = savedRefs(node);
      savedByKilledRun.keySet().removeAll(savedBefore.keySet());

      Recovery recovery = runInProcess(node);
      String where =
          (slowHook ? ", slow hook" : "")
              + "\n  "
              + (killed
                  ? "killed at " + killedAt + " ms"
                  : "finished by itself (exit " + exitOf(child) + ") before " + killedAt + " ms")
              + " (drawn from "
              + from
              + " to the end of a measured "
              + measured
              + " ms run); landed "
              + landing
              + "; journal of the killed run: "
              + steps.describe()
              + (hookRunning ? "; the post-update hook was running" : "")
              + "; saved refs it left: "
              + (savedByKilledRun.isEmpty() ? "none" : savedByKilledRun.keySet())
              + "\n  recovering run: "
              + recovery.describe();
      check(node, target, work, recovery, child.stdout(), problems);
      if (problems.isEmpty()) {
        node.head = target;
      }
      return where;
    }

    void check(
        Node node,
        ObjectId target,
        List<LocalWork> work,
        Recovery recovery,
        String killedOutput,
        List<String> problems)
        throws IOException {
      JsonNode json = recovery.json();
      if (json == null) {
        problems.add("the recovering run printed no JSON (exit " + recovery.exitCode() + ")");
      } else {
        String action = json.path("action").asText();
        if (recovery.exitCode() != 0
            || !(action.equals("updated") || action.equals("unchanged"))
            || !target.name().equals(json.path("currentCommit").asText())) {
          problems.add(
              "the recovering run did not end at its target "
                  + abbreviate(target)
                  + ": exit "
                  + recovery.exitCode()
                  + ", action "
                  + action
                  + ", currentCommit "
                  + json.path("currentCommit").asText("null"));
        }
      }
      GitCli.Result head = git.tryRun(node.workdir, "rev-parse", "--verify", "HEAD^{commit}");
      if (!head.ok()) {
        problems.add("git rev-parse HEAD fails: " + head.err().strip());
        return;
      }
      ObjectId headId = ObjectId.fromString(head.out().strip());
      if (!knownGood.contains(headId)) {
        problems.add("HEAD " + headId.name() + " is no commit the channels ever pointed at");
      }
      GitCli.Result status =
          git.tryRun(node.workdir, "status", "--porcelain", "--untracked-files=no");
      if (!status.ok() || !status.out().isBlank()) {
        problems.add(
            "git status --porcelain --untracked-files=no is not empty: "
                + (status.ok()
                    ? first(List.of(status.out().strip().split("\n")))
                    : status.err().strip()));
      }
      GitCli.Result fsck = git.tryRun(node.workdir, "fsck", "--strict", "--no-progress");
      if (!fsck.ok() || fsck.out().contains("broken") || fsck.out().contains("missing")) {
        problems.add(
            "git fsck --strict finds the repository broken: "
                + first(List.of((fsck.out() + fsck.err()).strip().split("\n"))));
      }
      Set<String> tracked =
          Set.of(git.run(node.workdir, "ls-tree", "-r", "--name-only", "HEAD").split("\n"));
      List<String> stray = new ArrayList<>();
      List<String> locks = new ArrayList<>();
      Path dotGit = node.workdir.resolve(".git");
      try (Stream<Path> files = Files.walk(node.workdir)) {
        for (Path file : files.filter(Files::isRegularFile).toList()) {
          String path = node.workdir.relativize(file).toString();
          if (file.startsWith(dotGit)) {
            if (path.endsWith(".lock")) {
              locks.add(path);
            }
          } else if (file.getFileName().toString().matches("\\._.*\\.tmp")
              || !(tracked.contains(path)
                  || node.untracked.contains(path)
                  || isLocalEdit(file, path, work))) {
            stray.add(path);
          }
        }
      }
      if (!stray.isEmpty()) {
        problems.add("stray files in the tree: " + first(stray));
      }
      if (!locks.isEmpty()) {
        problems.add("lock files left in the repository: " + locks);
      }
      checkLocalWork(node, work, recovery, killedOutput, problems);
    }

    /** An operator's edited file that the run left in place (not something a checkout wrote). */
    boolean isLocalEdit(Path file, String path, List<LocalWork> work) throws IOException {
      for (LocalWork piece : work) {
        if (!piece.isChmod()
            && piece.path().equals(path)
            && Files.readString(file, StandardCharsets.UTF_8).equals(piece.content())) {
          return true;
        }
      }
      return false;
    }

    /** Every piece of local work is still in the tree, or in a saved ref the output names. */
    void checkLocalWork(
        Node node,
        List<LocalWork> work,
        Recovery recovery,
        String killedOutput,
        List<String> problems)
        throws IOException {
      if (work.isEmpty()) {
        return;
      }
      Map<String, String> saved = savedRefs(node);
      for (LocalWork piece : work) {
        Path file = node.workdir.resolve(piece.path());
        boolean inTree =
            piece.isChmod()
                ? Files.isRegularFile(file) && Files.isExecutable(file)
                : Files.isRegularFile(file)
                    && Files.readString(file, StandardCharsets.UTF_8).equals(piece.content());
        if (inTree) {
          continue;
        }
        List<String> holders = new ArrayList<>();
        for (Map.Entry<String, String> ref : saved.entrySet()) {
          if (holds(node, ref.getValue(), piece)) {
            holders.add(ref.getKey());
          }
        }
        if (holders.isEmpty()) {
          problems.add(
              "local work lost: "
                  + piece.describe()
                  + " is neither in the tree nor under refs/sluice/saved/ ("
                  + saved.size()
                  + " saved refs)"
                  + (inStashReflog(node, piece) ? "; it is only in the refs/stash reflog" : ""));
        } else if (holders.stream().noneMatch(recovery.out()::contains)
            && holders.stream().noneMatch(killedOutput::contains)) {
          // A run prints only after it has recorded itself: when its output named the ref, the
          // operator was told, and the next run has nothing left to report.
          problems.add(
              "neither the killed run nor the recovering run names where "
                  + piece.describe()
                  + " went: it is in "
                  + holders);
        }
      }
    }

    /** The saved commit (or one of its parents: index, untracked files) holds this work. */
    boolean holds(Node node, String commit, LocalWork piece) {
      List<String> commits =
          List.of(
              git.run(node.workdir, "rev-list", "--parents", "-n", "1", commit).strip().split(" "));
      for (String candidate : commits) {
        String[] entry = tree(node, candidate).get(piece.path());
        if (entry == null) {
          continue;
        }
        boolean match =
            piece.isChmod()
                ? entry[0].equals("100755")
                : entry[1].equals(blobId(piece.content()).name());
        if (match) {
          return true;
        }
      }
      return false;
    }

    boolean inStashReflog(Node node, LocalWork piece) {
      GitCli.Result reflog =
          git.tryRun(node.workdir, "reflog", "show", "--format=%H", "refs/stash");
      if (!reflog.ok()) {
        return false;
      }
      return reflog.out().lines().anyMatch(c -> !c.isBlank() && holds(node, c.strip(), piece));
    }

    /** {@code git ls-tree -r}: path to {mode, blob id}. */
    Map<String, String[]> tree(Node node, String commit) {
      return treeCache.computeIfAbsent(
          commit,
          c -> {
            Map<String, String[]> entries = new HashMap<>();
            for (String line : git.run(node.workdir, "ls-tree", "-r", c).split("\n")) {
              int tab = line.indexOf('\t');
              if (tab < 0) {
                continue;
              }
              String[] meta = line.substring(0, tab).split(" ");
              entries.put(line.substring(tab + 1), new String[] {meta[0], meta[2]});
            }
            return entries;
          });
    }

    /** {@code refs/sluice/saved/*}: name to commit, read with the git command line. */
    Map<String, String> savedRefs(Node node) {
      Map<String, String> refs = new LinkedHashMap<>();
      if (!Files.isDirectory(node.workdir.resolve(".git"))) {
        return refs;
      }
      GitCli.Result list =
          git.tryRun(
              node.workdir,
              "for-each-ref",
              "--format=%(refname) %(objectname)",
              "refs/sluice/saved/");
      if (list.ok()) {
        list.out()
            .lines()
            .filter(l -> !l.isBlank())
            .forEach(l -> refs.put(l.split(" ")[0], l.split(" ")[1]));
      }
      return refs;
    }

    /** An edited tracked file, an untracked file and a chmod +x of a tracked file. */
    List<LocalWork> makeLocalWork(Node node, int round) throws IOException {
      Map<String, FileSpec> files = treeOf(versions.get(node.head));
      List<String> paths = new ArrayList<>(new TreeSet<>(files.keySet()));
      String edited = paths.get(random.nextInt(paths.size()));
      List<String> plain =
          paths.stream().filter(p -> !files.get(p).executable() && !p.equals(edited)).toList();
      String chmod = plain.get(random.nextInt(plain.size()));
      String untracked =
          List.of("", "src/", "lib/").get(random.nextInt(3)) + "local-" + round + ".txt";
      List<LocalWork> work =
          List.of(
              new LocalWork(
                  "edit of tracked", edited, "local edit made before round " + round + "\n"),
              new LocalWork("untracked", untracked, "untracked file of round " + round + "\n"),
              new LocalWork("chmod +x", chmod, null));
      Files.writeString(node.workdir.resolve(edited), work.get(0).content());
      Files.writeString(node.workdir.resolve(untracked), work.get(1).content());
      node.untracked.add(untracked); // the operator's file: it may stay in the tree
      Path mode = node.workdir.resolve(chmod);
      Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(mode);
      permissions.add(PosixFilePermission.OWNER_EXECUTE);
      permissions.add(PosixFilePermission.GROUP_EXECUTE);
      permissions.add(PosixFilePermission.OTHERS_EXECUTE);
      Files.setPosixFilePermissions(mode, permissions);
      return work;
    }

    /** A new commit on top of {@code parent} with version {@code version}'s tree. */
    ObjectId newVersion(ObjectId parent, int version) {
      nextVersion = Math.max(nextVersion, version + 1);
      clock = clock.plusSeconds(60);
      ObjectId id =
          RemoteTrees.commit(
              remote.repository(), parent, treeOf(version), "version " + version, clock);
      versions.put(id, version);
      knownGood.add(id);
      return id;
    }

    /**
     * Version {@code v}'s tree. Even and odd versions differ by: every {@code src/} file modified,
     * {@code only-a/} or {@code only-b/} present, {@code bin/tool.sh} executable or not, {@code
     * conf} a directory or a file.
     */
    Map<String, FileSpec> treeOf(int version) {
      Map<String, FileSpec> files = new TreeMap<>();
      boolean a = version % 2 == 0;
      files.put("app.txt", FileSpec.of("version " + version + "\n"));
      for (int i = 0; i < COMMON_FILES; i++) {
        files.put(String.format("lib/common-%03d.txt", i), FileSpec.of("common " + i + "\n"));
      }
      String filler = "x".repeat(2000);
      for (int i = 0; i < MODIFIED_FILES; i++) {
        files.put(
            String.format("src/m-%03d.txt", i),
            FileSpec.of("version " + version + " file " + i + "\n" + filler + "\n"));
      }
      for (int i = 0; i < SIDE_FILES; i++) {
        String side = a ? "only-a" : "only-b";
        files.put(String.format("%s/f-%02d.txt", side, i), FileSpec.of(side + " " + i + "\n"));
      }
      String tool = "#!/bin/sh\necho tool\n";
      files.put("bin/tool.sh", a ? FileSpec.of(tool) : FileSpec.executable(tool));
      if (a) {
        files.put("conf/x.txt", FileSpec.of("x\n"));
        files.put("conf/y.txt", FileSpec.of("y\n"));
      } else {
        files.put("conf", FileSpec.of("conf is a file in version " + version + "\n"));
      }
      return files;
    }

    ChildJvm start(Node node, String name) {
      ChildJvm child =
          ChildJvm.start(
              tmp.resolve(name),
              Map.of("HOME", tmp.resolve("home").toString(), "GIT_CONFIG_NOSYSTEM", "1"),
              NodeUpdaterMain.class,
              runArgs(node));
      children.add(child);
      return child;
    }

    List<String> runArgs(Node node) {
      return List.of(
          "run",
          "--workdir",
          node.workdir.toString(),
          "--remote",
          remote.uri(),
          "--state",
          node.state.toString(),
          "--channel",
          node.channel,
          "--post-update",
          hook.toString(),
          "--json");
    }

    /** The recovering run: node-updater's command line in this JVM, bounded in time. */
    Recovery runInProcess(Node node) throws Exception {
      Future<Recovery> run =
          inProcess.submit(
              () -> {
                StringWriter out = new StringWriter();
                StringWriter err = new StringWriter();
                int code =
                    NodeUpdaterMain.run(
                        new PrintWriter(out),
                        new PrintWriter(err),
                        runArgs(node).toArray(new String[0]));
                JsonNode json;
                try {
                  json = JSON.readTree(out.toString());
                } catch (IOException e) {
                  json = null;
                }
                return new Recovery(code, out.toString(), err.toString(), json);
              });
      try {
        return run.get(RUN_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      } catch (TimeoutException e) {
        run.cancel(true);
        throw new AssertionError(
            "seed " + seed + ": a run did not finish in " + RUN_TIMEOUT + " on " + node.workdir);
      }
    }
  }

  private static String exitOf(ChildJvm child) {
    try {
      return String.valueOf(child.waitFor(Duration.ofSeconds(1)));
    } catch (AssertionError e) {
      return "?";
    }
  }

  /**
   * CPU seconds used by this JVM and the children it has waited for (Linux {@code /proc}), to size
   * the default number of rounds for a CI machine; -1 elsewhere.
   */
  private static long cpuSeconds() {
    try {
      String stat = Files.readString(Path.of("/proc/self/stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long ticks = 0;
      for (int i = 11; i <= 14; i++) { // utime, stime, cutime, cstime
        ticks += Long.parseLong(fields[i]);
      }
      return ticks / 100; // USER_HZ
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** Whether a post-update hook started by the current child is running now. */
  private boolean hookRunning() throws IOException {
    if (!Files.exists(hookPids)) {
      return false;
    }
    return Files.readAllLines(hookPids).stream()
        .filter(line -> !line.isBlank())
        .anyMatch(line -> ProcessHandle.of(Long.parseLong(line.strip())).isPresent());
  }

  /** Kills hooks a killed run left running (they are orphans, no longer its descendants). */
  private void killHooks() {
    if (hookPids == null || !Files.exists(hookPids)) {
      return;
    }
    try {
      for (String line : Files.readAllLines(hookPids)) {
        if (line.isBlank()) {
          continue;
        }
        ProcessHandle.of(Long.parseLong(line.strip()))
            .filter(p -> p.info().command().map(c -> c.endsWith("sleep")).orElse(false))
            .ifPresent(ProcessHandle::destroyForcibly);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String branch(String channel) {
    return channel.equals("stable") ? "master" : "preprod";
  }

  private static String abbreviate(ObjectId id) {
    return id == null ? "nothing" : id.abbreviate(10).name();
  }

  private static ObjectId blobId(String content) {
    return new ObjectInserter.Formatter()
        .idFor(Constants.OBJ_BLOB, content.getBytes(StandardCharsets.UTF_8));
  }

  private static String first(List<String> paths) {
    return paths.size() <= 8
        ? paths.toString()
        : paths.subList(0, 8) + " and " + (paths.size() - 8) + " more";
  }
}
