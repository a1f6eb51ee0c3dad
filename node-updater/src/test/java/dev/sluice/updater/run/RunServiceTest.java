package dev.sluice.updater.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.channel.Channel;
import dev.sluice.core.channel.ChannelLayout;
import dev.sluice.core.channel.Track;
import dev.sluice.core.lottery.ChannelChoice;
import dev.sluice.core.report.Action;
import dev.sluice.core.report.NodeReport;
import dev.sluice.core.testing.TestRemote;
import dev.sluice.updater.TestNode;
import dev.sluice.updater.WorkTrees;
import dev.sluice.updater.state.StateException;
import dev.sluice.updater.state.StateLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunServiceTest {

  static final Instant START = Instant.parse("2026-03-10T08:00:00Z");

  @TempDir Path tmp;

  TestRemote remote;
  TestNode node;
  ObjectId masterTip;
  ObjectId preprodTip;

  @BeforeEach
  void setUp() {
    remote = TestRemote.create(tmp);
    masterTip =
        remote.commit(
            "master",
            "stable app",
            Map.of(
                "app.txt",
                "stable\n",
                "lib/util.txt",
                "util 1\n",
                ".gitignore",
                "node_modules/\nlocal.conf\n"));
    remote.tag("v1.0.0", masterTip, "release 1.0.0");
    remote.setBranch("preprod", masterTip);
    Map<String, String> preprodChanges = new HashMap<>();
    preprodChanges.put("app.txt", "preprod\n");
    preprodChanges.put("lib/util.txt", null);
    preprodChanges.put("lib/new.txt", "new\n");
    preprodTip = remote.commit("preprod", "preprod app", preprodChanges);
    remote.tag("v1.1.0_pre", preprodTip, "release 1.1.0 pre");
    node = new TestNode(tmp.resolve("node"), remote.uri(), START, 42);
  }

  @AfterEach
  void tearDown() {
    remote.close();
  }

  private RunResult runAs(Channel channel) {
    return node.run(r -> r.withChoice(new ChannelChoice(Optional.of(channel), false)));
  }

  @Test
  void firstRunInstallsStableIntoEmptyFolder() {
    node.nextTicket(0.5);

    RunResult result = node.run();

    NodeReport report = result.report();
    assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
    assertThat(report.action()).isEqualTo(Action.UPDATED);
    assertThat(report.channel()).isEqualTo("stable");
    assertThat(report.preprod()).isFalse();
    assertThat(report.previousCommit()).isNull();
    assertThat(report.currentCommit()).isEqualTo(masterTip.name());
    assertThat(report.version()).isEqualTo("v1.0.0");
    assertThat(report.target().ref()).isEqualTo("refs/heads/master");
    assertThat(report.lottery().ticket()).isEqualTo(0.5);
    assertThat(report.lottery().reason()).contains("ticket 0.5 >= default probability 0.07");
    assertThat(report.message()).contains("installed stable");
    WorkTrees.assertMatches(node.workdir, remote.repository(), masterTip);
  }

  @Test
  void firstInstallIsShallow() throws Exception {
    node.run();
    try (Git git = Git.open(node.workdir.toFile())) {
      assertThat(git.getRepository().getObjectDatabase().getShallowCommits()).isNotEmpty();
    }
  }

  @Test
  void secondRunWithNothingNewIsUnchanged() {
    node.nextTicket(0.5);
    node.run();

    RunResult again = node.run();

    assertThat(again.exitCode()).isZero();
    assertThat(again.report().action()).isEqualTo(Action.UNCHANGED);
    assertThat(again.report().previousCommit()).isEqualTo(masterTip.name());
    assertThat(again.report().currentCommit()).isEqualTo(masterTip.name());
    assertThat(again.report().message())
        .isEqualTo("stable: already at " + masterTip.abbreviate(10).name() + " (v1.0.0)");
  }

  @Test
  void winningTicketRidesPreprodAndLosingOneStaysUntilStableReachesIt() {
    node.nextTicket(0.01);
    RunResult preprod = node.run();
    assertThat(preprod.report().channel()).isEqualTo("preprod");
    assertThat(preprod.report().preprod()).isTrue();
    assertThat(preprod.report().currentCommit()).isEqualTo(preprodTip.name());
    WorkTrees.assertMatches(node.workdir, remote.repository(), preprodTip);

    // A month later the new ticket loses: the node rides stable, but never goes back to an
    // older commit than the one it runs.
    node.nextTicket(0.9);
    node.advance(Duration.ofDays(31));
    RunResult leaving = node.run();

    assertThat(leaving.report().channel()).isEqualTo("stable");
    assertThat(leaving.exitCode()).isZero();
    assertThat(leaving.report().action()).isEqualTo(Action.HELD);
    assertThat(leaving.report().reason().code()).isEqualTo("leaving-preprod");
    assertThat(leaving.report().currentCommit()).isEqualTo(preprodTip.name());
    assertThat(leaving.report().warnings()).anyMatch(w -> w.contains("no downgrade"));
    WorkTrees.assertMatches(node.workdir, remote.repository(), preprodTip);

    // Promotion: master reaches the soaked commit; the node is then simply on stable's target.
    remote.setBranch("master", preprodTip);
    RunResult promoted = node.run();
    assertThat(promoted.report().action()).isEqualTo(Action.UNCHANGED);
    assertThat(promoted.report().currentCommit()).isEqualTo(preprodTip.name());
  }

  @Test
  void newCommitOnChannelIsTakenOnNextRun() {
    node.nextTicket(0.5);
    node.run();
    ObjectId next = remote.commit("master", "fix", Map.of("app.txt", "stable fixed\n"));

    RunResult result = node.run();

    assertThat(result.report().action()).isEqualTo(Action.UPDATED);
    assertThat(result.report().previousCommit()).isEqualTo(masterTip.name());
    assertThat(result.report().currentCommit()).isEqualTo(next.name());
    assertThat(result.report().version()).isNull();
    WorkTrees.assertMatches(node.workdir, remote.repository(), next);
  }

  @Test
  void hundredRestartsWithinAMonthKeepOneTicketAndTheNextMonthDrawsOnce() {
    node.run();
    double ticket = node.run().report().lottery().ticket();
    Instant drawnAt = node.run().report().lottery().drawnAt();
    assertThat(node.draws()).isEqualTo(1);

    for (int restart = 0; restart < 100; restart++) {
      node.advance(Duration.ofHours(7)); // 700 hours: just under 30 days (March has 31)
      RunResult result = node.run();
      assertThat(result.report().lottery().ticket()).isEqualTo(ticket);
      assertThat(result.report().lottery().drawnAt()).isEqualTo(drawnAt);
    }
    assertThat(node.draws()).isEqualTo(1);

    node.setNow(drawnAt.plus(Duration.ofDays(31))); // one calendar month after 10 March
    RunResult rollover = node.run();
    assertThat(node.draws()).isEqualTo(2);
    assertThat(rollover.report().lottery().drawnAt()).isEqualTo(node.now());

    node.advance(Duration.ofDays(1));
    node.run();
    assertThat(node.draws()).isEqualTo(2);
  }

  @Test
  void ticketIsRedrawnExactlyOneCalendarMonthLater() {
    node.run();
    node.setNow(Instant.parse("2026-04-10T07:59:59Z"));
    node.run();
    assertThat(node.draws()).isEqualTo(1);
    node.setNow(Instant.parse("2026-04-10T08:00:00Z"));
    RunResult result = node.run();
    assertThat(node.draws()).isEqualTo(2);
    assertThat(result.report().lottery().nextDrawAt())
        .isEqualTo(Instant.parse("2026-05-10T08:00:00Z"));
  }

  @Test
  void optOutKeepsStableButKeepsTheTicket() {
    node.nextTicket(0.01);
    RunResult optedOut = node.run(r -> r.withChoice(ChannelChoice.of("auto", true)));
    assertThat(optedOut.report().channel()).isEqualTo("stable");
    assertThat(optedOut.report().lottery().reason()).contains("--disable-preprod");
    assertThat(optedOut.report().lottery().ticket()).isEqualTo(0.01);

    RunResult optedIn = node.run();
    assertThat(optedIn.report().channel()).isEqualTo("preprod");
    assertThat(optedIn.report().lottery().ticket()).isEqualTo(0.01);
    assertThat(node.draws()).isEqualTo(1);
  }

  @Test
  void pinnedChannelOverridesTheDrawWithoutErasingIt() {
    node.nextTicket(0.9);
    RunResult pinned = runAs(Channel.PREPROD);
    assertThat(pinned.report().channel()).isEqualTo("preprod");
    assertThat(pinned.report().currentCommit()).isEqualTo(preprodTip.name());
    assertThat(pinned.report().lottery().reason())
        .isEqualTo("pinned to preprod (--channel preprod)");

    RunResult auto = node.run();
    assertThat(auto.report().channel()).isEqualTo("stable");
    assertThat(auto.report().lottery().ticket()).isEqualTo(0.9);
    assertThat(node.draws()).isEqualTo(1);
  }

  @Test
  void higherProbabilityOnlyAddsNodes() {
    node.nextTicket(0.08);
    assertThat(node.run().report().channel()).isEqualTo("stable");
    assertThat(node.run(r -> r.withProbability(0.10)).report().channel()).isEqualTo("preprod");
    assertThat(node.draws()).isEqualTo(1);
  }

  @Test
  void offlineRemoteKeepsCommitReportsChannelAndExitsTen() throws Exception {
    node.nextTicket(0.01);
    node.run();
    Files.move(remote.dir(), tmp.resolve("moved.git"));

    RunResult offline = node.run();
    Files.move(tmp.resolve("moved.git"), remote.dir());

    assertThat(offline.exitCode()).isEqualTo(ExitCodes.OFFLINE);
    assertThat(offline.report().action()).isEqualTo(Action.OFFLINE);
    assertThat(offline.report().channel()).isEqualTo("preprod");
    assertThat(offline.report().currentCommit()).isEqualTo(preprodTip.name());
    assertThat(offline.report().message())
        .contains("unreachable")
        .contains("keeping " + preprodTip.abbreviate(10).name());
    assertThat(offline.report().reason().code()).isEqualTo("remote-unreachable");
    WorkTrees.assertMatches(node.workdir, remote.repository(), preprodTip);
  }

  @Test
  void offlineFirstRunStillDrawsTheLottery() {
    TestNode lonely =
        new TestNode(
            tmp.resolve("lonely"), tmp.resolve("nowhere.git").toUri().toString(), START, 1);
    RunResult offline = lonely.run();
    assertThat(offline.exitCode()).isEqualTo(ExitCodes.OFFLINE);
    assertThat(offline.report().lottery().ticket()).isNotNull();
    assertThat(offline.report().currentCommit()).isNull();
    assertThat(offline.report().message()).contains("nothing installed yet");
    assertThat(lonely.draws()).isEqualTo(1);
  }

  @Test
  void missingBranchKeepsCommitAndSaysWhich() {
    node.nextTicket(0.5);
    node.run();
    remote.deleteBranch("master");

    RunResult result = node.run();

    assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(result.report().action()).isEqualTo(Action.FAILED);
    assertThat(result.report().message()).contains("no branch 'master'").contains("keeping");
    assertThat(result.report().currentCommit()).isEqualTo(masterTip.name());
    WorkTrees.assertMatches(node.workdir, remote.repository(), masterTip);
  }

  @Test
  void localChangesAreSavedAndFindableIgnoredFilesStay() throws Exception {
    node.nextTicket(0.5);
    node.run();
    Files.writeString(node.workdir.resolve("app.txt"), "edited on the node\n");
    Files.writeString(node.workdir.resolve("notes.txt"), "operator notes\n");
    Files.createDirectories(node.workdir.resolve("node_modules/dep"));
    Files.writeString(node.workdir.resolve("node_modules/dep/index.js"), "module\n");
    Files.writeString(node.workdir.resolve("local.conf"), "secret=1\n");

    RunResult result = runAs(Channel.PREPROD);

    assertThat(result.report().action()).isEqualTo(Action.UPDATED);
    String savedRef = result.report().savedLocalChanges();
    assertThat(savedRef).startsWith("refs/sluice/saved/");
    assertThat(result.report().warnings())
        .anySatisfy(w -> assertThat(w).contains(savedRef).contains("git stash apply"));
    WorkTrees.assertMatches(
        node.workdir, remote.repository(), preprodTip, "node_modules/", "local.conf");
    assertThat(WorkTrees.read(node.workdir.resolve("node_modules/dep/index.js")))
        .isEqualTo("module\n");
    assertThat(WorkTrees.read(node.workdir.resolve("local.conf"))).isEqualTo("secret=1\n");

    // The saved commit holds both the edit and the untracked file, restorable with git.
    try (Git git = Git.open(node.workdir.toFile())) {
      Ref saved = git.getRepository().exactRef(savedRef);
      assertThat(saved).isNotNull();
      assertThat(WorkTrees.treeOf(git.getRepository(), saved.getObjectId()))
          .containsEntry("app.txt", "edited on the node\n");
      org.eclipse.jgit.revwalk.RevCommit stash =
          git.getRepository().parseCommit(saved.getObjectId());
      // A stash with untracked files keeps them in its third parent.
      assertThat(stash.getParentCount()).isEqualTo(3);
      assertThat(WorkTrees.treeOf(git.getRepository(), stash.getParent(2)))
          .containsEntry("notes.txt", "operator notes\n");
    }
  }

  @Test
  void trackedFileDeletedOnTheNodeIsRestoredByTheNextUpdate() throws Exception {
    node.nextTicket(0.5);
    node.run();
    Files.delete(node.workdir.resolve("lib/util.txt")); // unchanged by the next commit
    ObjectId next = remote.commit("master", "next", Map.of("app.txt", "next\n"));

    RunResult result = node.run();

    assertThat(result.report().action()).isEqualTo(Action.UPDATED);
    assertThat(result.report().currentCommit()).isEqualTo(next.name());
    WorkTrees.assertMatches(node.workdir, remote.repository(), next);
  }

  @Test
  void unchangedRunLeavesLocalChangesAlone() throws Exception {
    node.nextTicket(0.5);
    node.run();
    Files.writeString(node.workdir.resolve("app.txt"), "hot fix on the node\n");
    RunResult result = node.run();
    assertThat(result.report().action()).isEqualTo(Action.UNCHANGED);
    assertThat(WorkTrees.read(node.workdir.resolve("app.txt"))).isEqualTo("hot fix on the node\n");
  }

  @Test
  void corruptStateFileIsMovedAsideAndRebuilt() throws Exception {
    node.nextTicket(0.5);
    String firstNode = node.run().report().node();
    Files.write(
        node.state, "this is not a database at all, just garbage bytes".repeat(200).getBytes());
    Files.deleteIfExists(node.state.resolveSibling("state.db-wal"));
    Files.deleteIfExists(node.state.resolveSibling("state.db-shm"));

    RunResult result = node.run();

    assertThat(result.exitCode()).isZero();
    assertThat(result.report().action()).isEqualTo(Action.UNCHANGED);
    assertThat(result.report().warnings())
        .anySatisfy(w -> assertThat(w).contains("state file was damaged").contains(".corrupt-"));
    // The node keeps its id through the copy beside its work tree: no new dashboard row.
    assertThat(result.report().node()).isEqualTo(firstNode);
    try (var files = Files.list(node.state.getParent())) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .anySatisfy(n -> assertThat(n).startsWith("state.db.corrupt-"));
    }
    assertThat(node.draws()).isEqualTo(2);
  }

  @Test
  void stateFromNewerVersionIsRefusedUntouched() throws Exception {
    node.run();
    try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + node.state);
        var s = c.createStatement()) {
      s.execute("PRAGMA user_version = 99");
    }
    assertThatThrownBy(() -> node.run())
        .isInstanceOf(StateException.class)
        .hasMessageContaining("newer node-updater (schema 99");
  }

  @Test
  void concurrentRunIsRefusedNamingTheHolder() {
    node.run();
    try (StateLock held = StateLock.acquire(node.state, node.now())) {
      assertThatThrownBy(() -> node.run())
          .isInstanceOf(StateException.class)
          .hasMessageContaining("in use by another run")
          .hasMessageContaining("pid " + ProcessHandle.current().pid());
    }
    assertThat(node.run().exitCode()).isZero();
  }

  @Test
  void folderWithFilesButNoRepositoryIsNotTouched() throws Exception {
    Files.createDirectories(node.workdir);
    Files.writeString(node.workdir.resolve("precious.txt"), "do not delete\n");

    RunResult result = node.run();

    assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(result.report().message()).contains("holds files but no git repository");
    assertThat(WorkTrees.read(node.workdir.resolve("precious.txt"))).isEqualTo("do not delete\n");
  }

  @Test
  void damagedIndexIsRebuiltAndTheUpdateGoesThrough() throws Exception {
    node.nextTicket(0.5);
    node.run();
    Files.write(node.workdir.resolve(".git/index"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
    Files.writeString(node.workdir.resolve("app.txt"), "local edit\n");
    ObjectId next = remote.commit("master", "next", Map.of("app.txt", "v2\n"));

    RunResult result = node.run();

    assertThat(result.report().action()).isEqualTo(Action.UPDATED);
    assertThat(result.report().savedLocalChanges()).isNotNull();
    WorkTrees.assertMatches(node.workdir, remote.repository(), next);
  }

  @Test
  void unreadableHeadIsReportedAndFilesStay() throws Exception {
    node.nextTicket(0.5);
    node.run();
    Files.writeString(node.workdir.resolve(".git/HEAD"), "ref: refs/heads/does-not-exist\n");
    Files.writeString(node.workdir.resolve("app.txt"), "precious\n");
    // HEAD pointing at a missing branch is an unborn HEAD to git; make it name a missing object.
    Files.writeString(
        node.workdir.resolve(".git/HEAD"), "1234567890123456789012345678901234567890\n");

    RunResult result = node.run();

    assertThat(result.exitCode()).isEqualTo(ExitCodes.BROKEN);
    assertThat(result.report().action()).isEqualTo(Action.FAILED);
    assertThat(result.report().message()).contains("missing").contains("nothing was changed");
    assertThat(WorkTrees.read(node.workdir.resolve("app.txt"))).isEqualTo("precious\n");
  }

  @Test
  void tagTrackingFollowsNewestReleaseNotBranchTip() {
    ObjectId untagged = remote.commit("master", "work in progress", Map.of("app.txt", "wip\n"));
    node.nextTicket(0.5);

    RunResult result =
        node.run(
            r ->
                r.withLayout(
                    new ChannelLayout(
                        ChannelLayout.DEFAULT.stable().withTrack(Track.TAG),
                        ChannelLayout.DEFAULT.preprod().withTrack(Track.TAG))));

    assertThat(result.report().target().ref()).isEqualTo("refs/tags/v1.0.0");
    assertThat(result.report().currentCommit())
        .isEqualTo(masterTip.name())
        .isNotEqualTo(untagged.name());
    assertThat(result.report().version()).isEqualTo("v1.0.0");
    WorkTrees.assertMatches(node.workdir, remote.repository(), masterTip);
  }

  @Test
  void historyRecordsEveryRun() {
    node.run();
    node.run();
    Map<String, Integer> counts = new HashMap<>();
    List<NodeReport> runs =
        new dev.sluice.updater.status.StatusService().read(node.state, 10).runs();
    runs.forEach(r -> counts.merge(r.action().id(), 1, Integer::sum));
    assertThat(counts).containsEntry("updated", 1).containsEntry("unchanged", 1);
    assertThat(runs.get(0).action()).isEqualTo(Action.UNCHANGED);
  }
}
