package dev.sluice.admin.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.policy.Barrier;
import dev.sluice.core.policy.Deadend;
import dev.sluice.core.policy.Policy;
import dev.sluice.core.policy.PolicyReader;
import dev.sluice.core.testing.TestRemote;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every policy edit with an inverse can be undone, each undo one commit on rollout-policy. */
class UndoCommandsTest {

  private static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");

  @TempDir Path tmp;

  private TestRemote remote;
  private Cli cli;
  private ObjectId v1;

  @BeforeEach
  void createRemote() {
    remote = TestRemote.create(tmp);
    cli = new Cli(tmp);
    v1 = remote.commit("master", "one", Map.of("app.txt", "1\n"));
    remote.tag("v1.0.0", v1, "release 1.0.0");
  }

  @AfterEach
  void closeRemote() {
    remote.close();
  }

  private Cli.Result run(String... args) {
    List<String> all = new ArrayList<>(List.of("--remote", remote.uri(), "--now", NOW.toString()));
    all.addAll(List.of(args));
    Cli.Result result = cli.run(all.toArray(String[]::new));
    return result;
  }

  private void ok(String... args) {
    Cli.Result result = run(args);
    assertThat(result.code()).as(result.toString()).isZero();
  }

  private Policy policy() {
    return PolicyReader.read(remote.repository(), remote.tip(Policy.BRANCH));
  }

  private RevCommit tip() {
    try (RevWalk walk = new RevWalk(remote.repository())) {
      return walk.parseCommit(remote.tip(Policy.BRANCH));
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** Runs an undo and checks it is exactly one commit on top of the previous policy tip. */
  private RevCommit undo(String... args) {
    ObjectId before = remote.tip(Policy.BRANCH);
    ok(args);
    RevCommit after = tip();
    assertThat(after.getParentCount()).isEqualTo(1);
    assertThat(after.getParent(0).getId()).isEqualTo(before);
    return after;
  }

  @Test
  void deadendRemoveTakesTheEntryOutInOneCommit() {
    ok("deadend", "v1.0.0", "--reason", "corrupts state");
    ok("barrier", "v1.0.0", "--reason", "config change");

    RevCommit commit = undo("deadend", "--remove", "v1.0.0", "--reason", "fixed by a migration");

    assertThat(commit.getShortMessage()).isEqualTo("remove dead-end v1.0.0: fixed by a migration");
    assertThat(policy().deadends()).isEmpty();
    assertThat(policy().barriers()).containsExactly(new Barrier("v1.0.0", "config change"));
  }

  @Test
  void deadendRemoveFindsAnEntryNamingTheSameCommit() {
    ok("deadend", v1.name(), "--reason", "by commit id");
    ok("deadend", "v1.0.0", "--reason", "by tag");

    undo("deadend", "--remove", "v1.0.0", "--reason", "fixed");
    assertThat(policy().deadends()).containsExactly(new Deadend(v1.name(), "by commit id"));
    undo("deadend", "--remove", "v1.0.0", "--reason", "fixed too");
    assertThat(policy().deadends()).isEmpty();
  }

  @Test
  void removingWhatIsNotThereChangesNothing() {
    ok("pause", "stable", "--reason", "x");
    ObjectId before = remote.tip(Policy.BRANCH);

    Cli.Result result = run("deadend", "--remove", "v1.0.0", "--reason", "nothing");

    assertThat(result.code()).isZero();
    assertThat(result.out()).contains("nothing to change: v1.0.0 is not a dead-end");
    assertThat(remote.tip(Policy.BRANCH)).isEqualTo(before);
  }

  @Test
  void barrierRemoveLiftsTheBarrier() {
    ok("barrier", "v1.0.0", "--reason", "config change");

    RevCommit commit = undo("barrier", "v1.0.0", "--remove", "--reason", "everyone passed");

    assertThat(commit.getShortMessage()).isEqualTo("remove barrier v1.0.0: everyone passed");
    assertThat(policy().barriers()).isEmpty();
  }

  @Test
  void rolloutRemoveEndsThePhasedRollout() {
    ok("rollout", "v1.0.0", "--duration", "PT48H");

    RevCommit commit = undo("rollout", "v1.0.0", "--remove", "--reason", "go everywhere now");

    assertThat(commit.getShortMessage())
        .isEqualTo("remove phased rollout of v1.0.0: go everywhere now");
    assertThat(policy().rollouts()).isEmpty();
    assertThat(run("rollout", "v1.0.0").code()).isEqualTo(2);
    assertThat(run("rollout", "v1.0.0", "--remove").code()).isEqualTo(2);
  }

  @Test
  void freezeAndUnfreezeAreOneCommitEach() {
    ok("freeze", "hpc-1", "--reason", "simulation running");
    assertThat(policy().frozen()).containsExactly("hpc-1");
    assertThat(tip().getShortMessage()).isEqualTo("freeze hpc-1: simulation running");

    RevCommit commit = undo("freeze", "--remove", "hpc-1", "--reason", "simulation done");

    assertThat(commit.getShortMessage()).isEqualTo("unfreeze hpc-1: simulation done");
    assertThat(policy().frozen()).isEmpty();
  }

  @Test
  void freezingAWeightedGroupIsRefused() {
    ok("policy", "set", "lottery.groupWeights.farm-1=1.0");

    Cli.Result result = run("freeze", "farm-1", "--reason", "x");

    assertThat(result.code()).as(result.toString()).isEqualTo(2);
    assertThat(result.err()).contains("farm-1");
  }

  @Test
  void policyUnsetRestoresDefaultsAndRemovesEntries() {
    ok("policy", "set", "promotion.soak=P3D", "lottery.groupWeights.farm-1=1.0");
    ok("deadend", "v1.0.0", "--reason", "bad");

    RevCommit commit =
        undo(
            "policy",
            "unset",
            "promotion.soak",
            "lottery.groupWeights.farm-1",
            "deadends[0]",
            "--reason",
            "back to normal");

    assertThat(commit.getShortMessage())
        .isEqualTo(
            "policy unset promotion.soak lottery.groupWeights.farm-1 deadends[0]: back to normal");
    assertThat(policy().promotion().soak()).isEqualTo(Policy.defaults().promotion().soak());
    assertThat(policy().lottery().groupWeights()).isEmpty();
    assertThat(policy().deadends()).isEmpty();
    assertThat(run("policy", "unset", "promotion.soak=P1D").code()).isEqualTo(2);
  }
}
