package dev.sluice.updater.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.report.Action;
import dev.sluice.core.testing.TestRemote;
import dev.sluice.updater.TestNode;
import dev.sluice.updater.WorkTrees;
import dev.sluice.updater.git.WorkTreeLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.NullProgressMonitor;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.TreeFormatter;
import org.eclipse.jgit.revwalk.RevWalk;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The safety invariants of a run against real remotes: never backwards, never silently stuck, never
 * bricked by what a killed git or a hostile tree leaves behind, no clock can poison it.
 */
class RunSafetyTest {

  static final Instant START = Instant.parse("2026-03-10T08:00:00Z");

  @TempDir Path tmp;

  TestRemote remote;
  TestNode node;
  ObjectId v100;
  ObjectId v110;

  @BeforeEach
  void setUp() {
    remote = TestRemote.create(tmp);
    v100 = remote.commit("master", "1.0.0", Map.of("app.txt", "one\n"));
    remote.tag("v1.0.0", v100, "release 1.0.0");
    node = new TestNode(tmp.resolve("node"), remote.uri(), START, 7);
    node.nextTicket(0.9); // stable
  }

  @AfterEach
  void tearDown() {
    remote.close();
  }

  private void release110() {
    v110 = remote.commit("master", "1.1.0", Map.of("app.txt", "two\n", "lib/x.txt", "x\n"));
    remote.tag("v1.1.0", v110, "release 1.1.0");
  }

  private void policy(String fields) {
    remote.commit(
        "rollout-policy", "policy", Map.of("channels.json", "{\"schema\": 1, " + fields + "}"));
  }

  // --- never silently backwards -----------------------------------------------------------------

  @Test
  void forcePushToAnOlderCommitIsHeldAsADowngradeWithAWarning() {
    release110();
    assertThat(node.run().report().currentCommit()).isEqualTo(v110.name());

    remote.setBranch("master", v100);
    RunResult held = node.run();

    assertThat(held.exitCode()).isZero();
    assertThat(held.report().action()).isEqualTo(Action.HELD);
    assertThat(held.report().reason().code()).isEqualTo("downgrade");
    assertThat(held.report().warnings()).anyMatch(w -> w.contains("does not contain it"));
    WorkTrees.assertMatches(node.workdir, remote.repository(), v110);
    // ... on every run, not once.
    assertThat(node.run().report().reason().code()).isEqualTo("downgrade");
  }

  @Test
  void branchReplacedByAnUnrelatedHistoryIsHeld() {
    node.run();
    release110();
    node.run(); // on v1.1.0: its tag gives the node its own lineage to compare
    remote.deleteBranch("master");
    ObjectId stranger = remote.commit("master", "someone else's project", Map.of("x", "y\n"));

    RunResult held = node.run();

    assertThat(held.report().action()).isEqualTo(Action.HELD);
    assertThat(held.report().reason().code()).isEqualTo("unrelated-history");
    assertThat(held.report().target().commit()).isEqualTo(stranger.name());
    WorkTrees.assertMatches(node.workdir, remote.repository(), v110);
  }

  @Test
  void rollbackMarksTheBadReleaseADeadEndAndNodesGoBack() {
    release110();
    node.run();

    remote.setBranch("master", v100);
    policy("\"deadends\": [{\"ref\": \"v1.1.0\", \"reason\": \"corrupts the database\"}]");
    RunResult back = node.run();

    assertThat(back.exitCode()).isZero();
    assertThat(back.report().action()).isEqualTo(Action.UPDATED);
    assertThat(back.report().message()).contains("leaving dead-end");
    assertThat(back.report().version()).isEqualTo("v1.0.0");
    WorkTrees.assertMatches(node.workdir, remote.repository(), v100);
  }

  @Test
  void firstInstallOnADeadEndTakesTheNewestEarlierRelease() {
    release110();
    policy("\"deadends\": [{\"ref\": \"v1.1.0\", \"reason\": \"crashes on boot\"}]");

    RunResult installed = node.run();

    assertThat(installed.exitCode()).isZero();
    assertThat(installed.report().action()).isEqualTo(Action.UPDATED);
    assertThat(installed.report().currentCommit()).isEqualTo(v100.name());
    assertThat(installed.report().message()).contains("v1.0.0");
    WorkTrees.assertMatches(node.workdir, remote.repository(), v100);
  }

  @Test
  void firstInstallWithNothingSafeFailsLoudlyInsteadOfLeavingAnEmptyTree() {
    release110();
    policy(
        "\"deadends\": [{\"ref\": \"v1.1.0\", \"reason\": \"a\"}, {\"ref\": \"v1.0.0\","
            + " \"reason\": \"b\"}]");

    RunResult result = node.run();

    assertThat(result.exitCode()).isEqualTo(ExitCodes.BROKEN);
    assertThat(result.report().reason().code()).isEqualTo("nothing-to-run");
    assertThat(result.report().message()).contains("the node has nothing to run");
  }

  // --- never silently stuck: leftovers of killed gits ---------------------------------------

  @Test
  void staleGitLocksAreRemovedAndTheRunReallyMoves() throws Exception {
    node.run();
    Path git = node.workdir.resolve(".git");
    Files.createDirectories(git.resolve("refs/remotes/origin"));
    for (String lock :
        new String[] {
          "refs/remotes/origin/master.lock", "shallow.lock", "packed-refs.lock", "config.lock"
        }) {
      Files.writeString(git.resolve(lock), "");
    }
    release110();

    RunResult result = node.run();

    assertThat(result.report().action()).as(result.report().message()).isEqualTo(Action.UPDATED);
    assertThat(result.report().currentCommit()).isEqualTo(v110.name());
    WorkTrees.assertMatches(node.workdir, remote.repository(), v110);
    assertThat(result.report().warnings()).anyMatch(w -> w.contains("shallow.lock"));
    assertThat(git.resolve("shallow.lock")).doesNotExist();
    assertThat(git.resolve("refs/remotes/origin/master.lock")).doesNotExist();
  }

  @Test
  void aPackLockThatAKilledFetchLeftIsCleared() throws Exception {
    node.run();
    release110();
    // A fetch killed while it kept its new pack leaves objects/pack/pack-NAME.keep.lock, and the
    // next fetch of the same objects writes the same pack name: JGit then fails "Cannot lock
    // pack". Learn the name from a twin of the node that fetches the same objects.
    Path twinDir = tmp.resolve("twin");
    copyTree(node.workdir.getParent(), twinDir);
    Path twinPacks = twinDir.resolve("workdir/.git/objects/pack");
    java.util.Set<String> before = names(twinPacks);
    new TestNode(twinDir, remote.uri(), START, 1).run();
    java.util.Set<String> added = names(twinPacks);
    added.removeAll(before);
    String pack =
        added.stream()
            .filter(n -> n.endsWith(".pack"))
            .findFirst()
            .orElseThrow()
            .replace(".pack", "");
    Path lock = node.workdir.resolve(".git/objects/pack/" + pack + ".keep.lock");
    Files.writeString(lock, "");

    RunResult result = node.run();

    assertThat(result.report().action()).as(result.report().message()).isEqualTo(Action.UPDATED);
    WorkTrees.assertMatches(node.workdir, remote.repository(), v110);
    assertThat(lock).doesNotExist();
    assertThat(result.report().warnings()).anyMatch(w -> w.contains(pack + ".keep.lock"));
  }

  private static java.util.Set<String> names(Path dir) throws java.io.IOException {
    try (java.util.stream.Stream<Path> list = Files.list(dir)) {
      return list.map(p -> p.getFileName().toString())
          .collect(java.util.stream.Collectors.toCollection(java.util.HashSet::new));
    }
  }

  private static void copyTree(Path from, Path to) throws java.io.IOException {
    try (java.util.stream.Stream<Path> walk = Files.walk(from)) {
      for (Path source : walk.toList()) {
        Path target = to.resolve(from.relativize(source).toString());
        if (Files.isDirectory(source, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
          Files.createDirectories(target);
        } else {
          Files.copy(
              source,
              target,
              java.nio.file.LinkOption.NOFOLLOW_LINKS,
              java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
  }

  @Test
  void aShallowListThatAKilledFetchLeftWrongIsRepaired() throws Exception {
    remote.commit("master", "1.0.1", Map.of("app.txt", "one and a bit\n"));
    node.run(); // shallow: .git/shallow names the installed commit
    Path shallow = node.workdir.resolve(".git/shallow");
    assertThat(shallow).exists();
    // A fetch killed after rewriting the shallow list, before storing the pack it described.
    Files.writeString(shallow, "");
    release110();

    RunResult result = node.run();

    assertThat(result.report().action()).as(result.report().message()).isEqualTo(Action.UPDATED);
    assertThat(result.report().currentCommit()).isEqualTo(v110.name());
    WorkTrees.assertMatches(node.workdir, remote.repository(), v110);
  }

  @Test
  void aLockThatALiveProcessHoldsIsNeverDeleted() throws Exception {
    node.run();
    Path lock = node.workdir.resolve(".git/index.lock");
    Process holder =
        new ProcessBuilder("sh", "-c", "exec 3>>'" + lock + "'; echo ready; exec sleep 60")
            .redirectErrorStream(true)
            .start();
    try {
      assertThat(new String(holder.getInputStream().readNBytes(6), StandardCharsets.UTF_8))
          .isEqualTo("ready\n");
      release110();

      RunResult result = node.run();

      assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
      assertThat(result.report().message()).contains("index.lock").contains("pid " + holder.pid());
      assertThat(lock).exists();
      WorkTrees.assertMatches(node.workdir, remote.repository(), v100);
    } finally {
      holder.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    Files.deleteIfExists(lock);
  }

  @Test
  void secondRunOnTheSameWorkTreeIsRefusedNamingTheHolder() {
    node.run();
    try (WorkTreeLock held = WorkTreeLock.acquire(node.workdir, START)) {
      TestNode other = new TestNode(tmp.resolve("other"), remote.uri(), START, 1);
      RunResult refused =
          other.run(r -> RunRequest.defaults(node.workdir, remote.uri(), other.state));

      assertThat(refused.exitCode()).isEqualTo(ExitCodes.USAGE);
      assertThat(refused.report().message())
          .contains("in use by another node-updater run (pid " + ProcessHandle.current().pid());
    }
    assertThat(node.run().exitCode()).isZero();
  }

  @Test
  void unchangedChecksTheTreeAndPutsMissingFilesBack() throws Exception {
    node.run();
    Files.delete(node.workdir.resolve("app.txt"));

    RunResult result = node.run();

    assertThat(result.report().action()).isEqualTo(Action.UNCHANGED);
    assertThat(result.report().message()).contains("restored 1 missing tracked file");
    WorkTrees.assertMatches(node.workdir, remote.repository(), v100);
  }

  // --- adopting an existing node ------------------------------------------------------------

  @Test
  void anExistingFullCloneIsAdoptedKeepingItsOriginAndItsLocalWork() throws Exception {
    release110();
    Path clone = tmp.resolve("zelflux");
    git(tmp, "clone", "-q", "--branch", "master", remote.uri(), clone.toString());
    git(clone, "reset", "-q", "--hard", v100.name()); // the node's own updater had not pulled yet
    git(clone, "remote", "set-url", "origin", "https://mirror.example.invalid/app.git");
    Files.writeString(clone.resolve("app.txt"), "hot fix on the node\n");
    Files.writeString(clone.resolve("notes.txt"), "operator notes\n");
    TestNode adopted = new TestNode(tmp.resolve("adopted-state"), remote.uri(), START, 5);
    adopted.nextTicket(0.9);

    RunResult result = adopted.run(r -> RunRequest.defaults(clone, remote.uri(), adopted.state));

    assertThat(result.exitCode()).as(result.report().message()).isZero();
    assertThat(result.report().action()).isEqualTo(Action.UPDATED);
    assertThat(result.report().currentCommit()).isEqualTo(v110.name());
    WorkTrees.assertMatches(clone, remote.repository(), v110);
    String saved = result.report().savedLocalChanges();
    assertThat(saved).startsWith("refs/sluice/saved/");
    assertThat(git(clone, "show", saved + ":app.txt")).isEqualTo("hot fix on the node\n");
    assertThat(git(clone, "show", saved + "^3:notes.txt")).isEqualTo("operator notes\n");
    assertThat(git(clone, "config", "remote.origin.url").strip())
        .isEqualTo("https://mirror.example.invalid/app.git");
  }

  /** Runs the git command line, isolated from the machine's configuration; returns its output. */
  private String git(Path dir, String... args) throws Exception {
    java.util.List<String> command =
        new java.util.ArrayList<>(java.util.List.of("git", "-C", dir.toString()));
    command.addAll(java.util.List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    Path home = Files.createDirectories(tmp.resolve("git-home"));
    builder.environment().put("HOME", home.toString());
    builder.environment().put("GIT_CONFIG_NOSYSTEM", "1");
    builder.environment().put("GIT_AUTHOR_NAME", "t");
    builder.environment().put("GIT_AUTHOR_EMAIL", "t@example.invalid");
    builder.environment().put("GIT_COMMITTER_NAME", "t");
    builder.environment().put("GIT_COMMITTER_EMAIL", "t@example.invalid");
    Process process = builder.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor()).as("git " + String.join(" ", args) + ": " + out).isZero();
    return out;
  }

  // --- hostile trees ------------------------------------------------------------------------

  @Test
  void commitWithADotGitEntryIsRefusedBeforeTouchingTheTree() throws Exception {
    node.run();
    ObjectId hostile = hostileCommit(remote.repository(), v100, ".git");
    remote.setBranch("master", hostile);

    RunResult result = node.run();

    assertThat(result.exitCode()).isEqualTo(ExitCodes.ROLLED_BACK);
    assertThat(result.report().action()).isEqualTo(Action.FAILED);
    assertThat(result.report().reason().code()).isEqualTo("unsafe-tree");
    assertThat(result.report().message()).contains("'.git'");
    assertThat(result.report().currentCommit()).isEqualTo(v100.name());
    WorkTrees.assertMatches(node.workdir, remote.repository(), v100);
    assertThat(node.workdir.resolve(".git/config")).content().doesNotContain("evil");
  }

  @Test
  void aBranchThatNamesATreeIsAConfigurationError() throws Exception {
    node.run();
    Repository repo = remote.repository();
    ObjectId tagOfTree;
    try (ObjectInserter inserter = repo.newObjectInserter();
        RevWalk walk = new RevWalk(repo)) {
      org.eclipse.jgit.lib.TagBuilder tag = new org.eclipse.jgit.lib.TagBuilder();
      tag.setObjectId(walk.parseCommit(v100).getTree());
      tag.setTag("a-tree");
      tag.setTagger(new PersonIdent("x", "x@example.invalid"));
      tag.setMessage("not a commit\n");
      tagOfTree = inserter.insert(tag);
      inserter.flush();
    }
    force(repo, "refs/heads/master", tagOfTree);

    RunResult result = node.run();

    assertThat(result.exitCode()).as(result.report().message()).isEqualTo(ExitCodes.USAGE);
    assertThat(result.report().action()).isEqualTo(Action.FAILED);
    assertThat(result.report().message()).contains("not a commit").contains("keeping");
    assertThat(result.report().currentCommit()).isEqualTo(v100.name());
    WorkTrees.assertMatches(node.workdir, remote.repository(), v100);
  }

  /** A commit on top of {@code parent} whose tree has a directory named {@code name}. */
  static ObjectId hostileCommit(Repository repo, ObjectId parent, String name) throws Exception {
    try (ObjectInserter inserter = repo.newObjectInserter();
        RevWalk walk = new RevWalk(repo)) {
      ObjectId blob = inserter.insert(Constants.OBJ_BLOB, "[core]\n\tevil = true\n".getBytes());
      TreeFormatter inner = new TreeFormatter();
      inner.append("config", FileMode.REGULAR_FILE, blob);
      ObjectId innerId = inserter.insert(inner);
      ObjectId app = inserter.insert(Constants.OBJ_BLOB, "one\n".getBytes());
      TreeFormatter root = new TreeFormatter();
      root.append(name, FileMode.TREE, innerId);
      root.append("app.txt", FileMode.REGULAR_FILE, app);
      ObjectId tree = inserter.insert(root);
      CommitBuilder commit = new CommitBuilder();
      commit.setTreeId(tree);
      commit.setParentId(walk.parseCommit(parent));
      PersonIdent who = new PersonIdent("x", "x@example.invalid");
      commit.setAuthor(who);
      commit.setCommitter(who);
      commit.setMessage("hostile\n");
      ObjectId id = inserter.insert(commit);
      inserter.flush();
      return id;
    }
  }

  // --- full disk ----------------------------------------------------------------------------

  @Test
  void fullDiskUnderTreeAndStateIsSurvivedAndTheNextRunWorksOnceSpaceIsBack() throws Exception {
    Path small = Files.createDirectories(tmp.resolve("small-disk"));
    Process mount =
        new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", small.toString())
            .redirectErrorStream(true)
            .start();
    org.junit.jupiter.api.Assumptions.assumeTrue(
        mount.waitFor() == 0, "needs root to mount a small tmpfs to fill");
    try {
      TestNode onDisk =
          new TestNode(small.resolve("node"), remote.uri(), START, 3); // tree and state on it
      onDisk.nextTicket(0.9);
      assertThat(onDisk.run().exitCode()).isZero();
      release110();
      Path filler = small.resolve("filler");
      fill(filler);

      RunResult full = onDisk.run();

      assertThat(full.exitCode()).as(full.report().message()).isEqualTo(ExitCodes.ROLLED_BACK);
      assertThat(full.report().message()).contains("disk is full");
      assertThat(full.report().currentCommit()).isEqualTo(v100.name());
      WorkTrees.assertMatches(onDisk.workdir, remote.repository(), v100);
      try (var files = Files.walk(onDisk.workdir)) {
        assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
      }

      Files.delete(filler);
      RunResult after = onDisk.run();
      assertThat(after.exitCode()).as(after.report().message()).isZero();
      assertThat(after.report().currentCommit()).isEqualTo(v110.name());
      WorkTrees.assertMatches(onDisk.workdir, remote.repository(), v110);
    } finally {
      new ProcessBuilder("umount", "-l", small.toString()).start().waitFor();
    }
  }

  /** Writes zeros into {@code file} until the file system says it is full. */
  private static void fill(Path file) throws Exception {
    byte[] block = new byte[4096];
    try (var out = Files.newOutputStream(file)) {
      while (true) {
        out.write(block);
        out.flush();
      }
    } catch (java.io.IOException full) {
      assertThat(full.getMessage()).contains("No space left");
    }
  }

  // --- local work -----------------------------------------------------------------------------

  @Test
  void aLocalChmodIsSavedAndTheRunNamesWhere() throws Exception {
    node.run();
    Path app = node.workdir.resolve("app.txt");
    Files.setPosixFilePermissions(
        app, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    release110();

    RunResult moved = node.run();

    String ref = moved.report().savedLocalChanges();
    assertThat(ref).startsWith("refs/sluice/saved/");
    assertThat(moved.report().warnings()).anyMatch(w -> w.contains(ref));
    try (org.eclipse.jgit.api.Git git = org.eclipse.jgit.api.Git.open(node.workdir.toFile());
        RevWalk walk = new RevWalk(git.getRepository())) {
      var saved = walk.parseCommit(git.getRepository().exactRef(ref).getObjectId());
      try (var tree =
          org.eclipse.jgit.treewalk.TreeWalk.forPath(
              git.getRepository(), "app.txt", saved.getTree())) {
        assertThat(tree.getFileMode(0)).isEqualTo(FileMode.EXECUTABLE_FILE);
      }
    }
    WorkTrees.assertMatches(node.workdir, remote.repository(), v110);
  }

  // --- clocks -------------------------------------------------------------------------------

  @Test
  void timeOutOfRangeIsRefusedBeforeAnythingIsWritten() {
    node.run();
    Clock broken = Clock.fixed(Instant.parse("+999999999-12-31T23:59:59Z"), ZoneOffset.UTC);

    assertThatThrownBy(
            () ->
                new RunService(broken, new Random(1), NullProgressMonitor.INSTANCE)
                    .run(node.request()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("out of range");
    RunResult next = node.run();
    assertThat(next.exitCode()).isZero();
    assertThat(next.report().action()).isEqualTo(Action.UNCHANGED);
  }

  @Test
  void ticketDrawnInTheFutureIsRedrawnWithAWarning() {
    node.setNow(Instant.parse("2099-01-15T00:00:00Z"));
    node.run();
    int draws = node.draws();

    node.setNow(START);
    RunResult back = node.run();

    assertThat(node.draws()).isEqualTo(draws + 1);
    assertThat(back.report().lottery().drawnAt()).isEqualTo(START);
    assertThat(back.report().warnings()).anyMatch(w -> w.contains("drawn in the future"));
    node.advance(Duration.ofHours(1));
    node.run();
    assertThat(node.draws()).isEqualTo(draws + 1);
  }

  // --- identity -------------------------------------------------------------------------------

  @Test
  void emptiedStateFileWarnsAndKeepsTheNodeId() throws Exception {
    String id = node.run().report().node();
    for (String suffix : new String[] {"", "-wal", "-shm"}) {
      Path file = node.state.resolveSibling(node.state.getFileName() + suffix);
      if (suffix.isEmpty()) {
        Files.write(file, new byte[0]);
      } else {
        Files.deleteIfExists(file);
      }
    }

    RunResult after = node.run();

    assertThat(after.report().node()).isEqualTo(id);
    assertThat(after.report().warnings())
        .anyMatch(w -> w.contains("was empty"))
        .anyMatch(w -> w.contains("kept id " + id));
  }

  static RefUpdate.Result force(Repository repo, String ref, ObjectId id) throws Exception {
    RefUpdate update = repo.updateRef(ref);
    update.setNewObjectId(id);
    update.setForceUpdate(true);
    return update.update();
  }
}
