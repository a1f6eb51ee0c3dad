package dev.sluice.updater.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.report.Action;
import dev.sluice.core.testing.TestKeys;
import dev.sluice.core.testing.TestRemote;
import dev.sluice.core.trust.TrustFile;
import dev.sluice.updater.TestNode;
import dev.sluice.updater.WorkTrees;
import dev.sluice.updater.run.RunResult;
import dev.sluice.updater.state.Database;
import dev.sluice.updater.state.KeyValueStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.lib.ObjectId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rollout policy applied by a node, end to end through real git. */
class NodePolicyTest {

  static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z"); // a Saturday

  @TempDir Path tmp;

  TestRemote remote;
  TestNode node;
  ObjectId v1;

  @BeforeEach
  void setUp() {
    remote = TestRemote.create(tmp);
    v1 = remote.commit("master", "v1", Map.of("app.txt", "1\n"));
    remote.tag("v1.0.0", v1, "r");
    remote.setBranch("preprod", v1);
    node = new TestNode(tmp.resolve("node"), remote.uri(), NOW, 11);
    node.nextTicket(0.5);
  }

  @AfterEach
  void tearDown() {
    remote.close();
  }

  void policy(String json) {
    remote.commit("rollout-policy", "policy", Map.of("channels.json", json));
  }

  static String withStable(String stable, String rest) {
    return """
        {"schema": 1,
         "channels": {"stable": {"branch": "master", "tagPattern": "v*", "track": "branch", %s},
                      "preprod": {"branch": "preprod", "tagPattern": "v*_pre", "track": "branch", "paused": false}}
         %s}
        """
        .formatted(stable, rest);
  }

  @Test
  void groupWeightOfOneAlwaysRidesPreprod() {
    policy("{\"schema\": 1, \"lottery\": {\"groupWeights\": {\"farm-1\": 1.0}}}");
    node.nextTicket(0.99);
    RunResult farm = node.run(r -> r.withGroups(List.of("farm-1")));
    assertThat(farm.report().channel()).isEqualTo("preprod");
    assertThat(farm.report().lottery().weight()).isEqualTo(1.0);
    assertThat(farm.report().lottery().reason()).contains("group farm-1");
  }

  @Test
  void policyProbabilityAppliesAndNodeFlagOverridesIt() {
    policy("{\"schema\": 1, \"lottery\": {\"probability\": 0.6}}");
    assertThat(node.run().report().channel()).isEqualTo("preprod");
    assertThat(node.run(r -> r.withProbability(0.1)).report().channel()).isEqualTo("stable");
  }

  @Test
  void pausedChannelHoldsAndSaysWhy() {
    node.run();
    policy(withStable("\"paused\": true, \"pauseReason\": \"incident 42\"", ""));
    remote.commit("master", "v2", Map.of("app.txt", "2\n"));

    RunResult held = node.run();

    assertThat(held.exitCode()).isZero();
    assertThat(held.report().action()).isEqualTo(Action.HELD);
    assertThat(held.report().reason().code()).isEqualTo("paused");
    assertThat(held.report().currentCommit()).isEqualTo(v1.name());
    WorkTrees.assertMatches(node.workdir, remote.repository(), v1);
  }

  @Test
  void nodeOnADeadEndMovesOffEvenWhilePaused() {
    node.run();
    ObjectId v2 = remote.commit("master", "v2", Map.of("app.txt", "2\n"));
    policy(
        withStable(
            "\"paused\": true",
            ", \"deadends\": [{\"ref\": \"v1.0.0\", \"reason\": \"corrupts state\"}]"));

    RunResult moved = node.run();

    assertThat(moved.report().action()).isEqualTo(Action.UPDATED);
    assertThat(moved.report().currentCommit()).isEqualTo(v2.name());
    assertThat(moved.report().message()).contains("dead-end");
  }

  @Test
  void deadEndTargetIsNeverMovedOnto() {
    node.run();
    ObjectId bad = remote.commit("master", "bad", Map.of("app.txt", "bad\n"));
    remote.tag("v1.1.0", bad, "r");
    policy(
        "{\"schema\": 1, \"deadends\": [{\"ref\": \"v1.1.0\", \"reason\": \"db migration corrupts state\"}]}");

    RunResult held = node.run();

    assertThat(held.report().action()).isEqualTo(Action.HELD);
    assertThat(held.report().reason().code()).isEqualTo("deadend-target");
    assertThat(held.report().currentCommit()).isEqualTo(v1.name());
  }

  @Test
  void barrierIsPassedThroughOnTheWayUp() {
    node.run();
    ObjectId barrier = remote.commit("master", "config format change", Map.of("app.txt", "2\n"));
    remote.tag("v2.0.0", barrier, "r");
    ObjectId v3 = remote.commit("master", "v3", Map.of("app.txt", "3\n"));
    policy(
        "{\"schema\": 1, \"barriers\": [{\"ref\": \"v2.0.0\", \"reason\": \"config format change\"}]}");

    RunResult first = node.run();
    assertThat(first.report().currentCommit()).isEqualTo(barrier.name());
    assertThat(first.report().message()).contains("barrier");
    WorkTrees.assertMatches(node.workdir, remote.repository(), barrier);

    RunResult second = node.run();
    assertThat(second.report().currentCommit()).isEqualTo(v3.name());
  }

  @Test
  void phasedRolloutHoldsUntilTheNodesTurn() {
    node.run();
    ObjectId v2 = remote.commit("master", "v2", Map.of("app.txt", "2\n"));
    remote.tag("v2.0.0", v2, "r");
    policy(
        "{\"schema\": 1, \"rollouts\": [{\"ref\": \"v2.0.0\", \"start\": \"2026-11-21T09:00:00Z\", \"duration\": \"PT10H\", \"startFraction\": 0.0}]}");

    RunResult early = node.run(); // 1 h of 10 h: fraction 0.1 < ticket 0.5
    assertThat(early.report().action()).isEqualTo(Action.HELD);
    assertThat(early.report().reason().code()).isEqualTo("phased-rollout");

    node.advance(Duration.ofHours(4)); // fraction 0.5 reaches the ticket
    RunResult turn = node.run();
    assertThat(turn.report().currentCommit()).isEqualTo(v2.name());
  }

  @Test
  void outsideEveryMaintenanceWindowTheNodeWaits() {
    node.run();
    remote.commit("master", "v2", Map.of("app.txt", "2\n"));
    policy(
        "{\"schema\": 1, \"maintenanceWindows\": [{\"days\": [\"SUN\"], \"start\": \"02:00\", \"length\": \"PT4H\", \"zone\": \"UTC\"}]}");

    RunResult held = node.run();
    assertThat(held.report().reason().code()).isEqualTo("maintenance-window");

    node.setNow(Instant.parse("2026-11-22T03:00:00Z"));
    assertThat(node.run().report().action()).isEqualTo(Action.UPDATED);
  }

  @Test
  void invalidPolicyIsIgnoredInFavourOfTheLastValidOneWithAWarning() {
    node.run();
    policy(withStable("\"paused\": true", ""));
    assertThat(node.run().report().action()).isEqualTo(Action.UNCHANGED);
    policy("{\"schema\": 1, \"rollouts\": [{\"ref\": \"v2\", \"duration\": \"48h\"}]}");
    remote.commit("master", "v2", Map.of("app.txt", "2\n"));

    RunResult result = node.run();

    assertThat(result.report().action())
        .isEqualTo(Action.HELD); // still paused by the last valid policy
    assertThat(result.report().reason().code()).isEqualTo("paused");
    assertThat(result.report().warnings())
        .anySatisfy(
            w ->
                assertThat(w)
                    .contains("is invalid")
                    .contains("PT48H")
                    .contains("using rollout-policy@"));
    // The next run does not fetch the same broken commit again but still warns.
    assertThat(node.run().report().warnings())
        .anySatisfy(w -> assertThat(w).contains("is invalid"));
  }

  @Test
  void offlineRunUsesTheCachedPolicyForTheLottery() throws Exception {
    policy("{\"schema\": 1, \"lottery\": {\"groupWeights\": {\"farm-1\": 1.0}}}");
    node.nextTicket(0.99);
    assertThat(node.run(r -> r.withGroups(List.of("farm-1"))).report().channel())
        .isEqualTo("preprod");
    Files.move(remote.dir(), tmp.resolve("gone.git"));
    try {
      RunResult offline = node.run(r -> r.withGroups(List.of("farm-1")));
      assertThat(offline.report().action()).isEqualTo(Action.OFFLINE);
      assertThat(offline.report().channel()).isEqualTo("preprod");
    } finally {
      Files.move(tmp.resolve("gone.git"), remote.dir());
    }
  }

  @Test
  void offlineUnderOtherTrustFilesTheCachedPolicyIsNotApplied() throws Exception {
    policy("{\"schema\": 1, \"lottery\": {\"groupWeights\": {\"farm-1\": 1.0}}}");
    node.run(r -> r.withGroups(List.of("farm-1")));
    try (TestKeys keys = TestKeys.in(tmp)) {
      Path signers =
          Files.writeString(
              tmp.resolve("allowed_signers"),
              "ops@example.org " + keys.sshPublic(keys.sshKey("ops")) + "\n");
      TrustFile trust = TrustFile.load(signers, null);
      try (Database db = Database.open(node.state, NOW)) {
        KeyValueStore kv = new KeyValueStore(db);
        assertThat(new NodePolicy(kv, null).cached().source())
            .as("without trust files, as it was accepted")
            .startsWith("rollout-policy@");

        NodePolicy.Loaded underTrust = new NodePolicy(kv, trust).cached();

        assertThat(underTrust.source()).isEqualTo("built-in defaults");
        assertThat(underTrust.policy().lottery().weightFor(List.of("farm-1")).value())
            .isLessThan(1.0);
        assertThat(underTrust.warnings())
            .anySatisfy(w -> assertThat(w).contains("other trust files"));
      }
    }
  }

  @Test
  void frozenNodeNeverMoves() {
    node.run(r -> r.withGroups(List.of("hpc")));
    remote.commit("master", "v2", Map.of("app.txt", "2\n"));
    policy("{\"schema\": 1, \"frozen\": [\"hpc\"]}");
    RunResult held = node.run(r -> r.withGroups(List.of("hpc")));
    assertThat(held.report().reason().code()).isEqualTo("frozen");
    assertThat(held.report().currentCommit()).isEqualTo(v1.name());
  }
}
