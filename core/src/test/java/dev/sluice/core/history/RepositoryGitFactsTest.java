package dev.sluice.core.history;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.channel.Channel;
import dev.sluice.core.git.ChannelTarget;
import dev.sluice.core.git.RemoteRefs;
import dev.sluice.core.policy.Policy;
import dev.sluice.core.policy.PolicyReader;
import dev.sluice.core.rollout.ChannelHead;
import dev.sluice.core.rollout.GitFacts;
import dev.sluice.core.rollout.NodeFacts;
import dev.sluice.core.rollout.Reason;
import dev.sluice.core.rollout.RolloutDecider;
import dev.sluice.core.rollout.RolloutDecision;
import dev.sluice.core.testing.TestRemote;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.eclipse.jgit.lib.ObjectId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The decision over real git: tags, ancestry and the policy branch of a bare repository. */
class RepositoryGitFactsTest {

  @TempDir Path tmp;
  private TestRemote remote;
  private ObjectId initial;
  private ObjectId v50;
  private ObjectId v51;
  private ObjectId v52;
  private ObjectId hotfix;

  @BeforeEach
  void createHistory() {
    remote = TestRemote.create(tmp);
    initial = remote.tip("master");
    v50 = remote.commit("master", "config format 2", Map.of("app.txt", "version 5.0\n"));
    remote.tag("v5.0.0", v50, "release 5.0.0");
    v51 = remote.commit("master", "migration", Map.of("app.txt", "version 5.1\n"));
    remote.lightweightTag("v5.1.0", v51);
    v52 = remote.commit("master", "fix", Map.of("app.txt", "version 5.2\n"));
    remote.tag("v5.2.0", v52, "release 5.2.0");
    hotfix = remote.commit("hotfix", "unrelated", Map.of("other.txt", "x\n"));
  }

  @AfterEach
  void closeRemote() {
    remote.close();
  }

  @Test
  void resolvesAnnotatedAndLightweightTagsFullRefsAndCommitIds() {
    GitFacts git = new RepositoryGitFacts(remote.repository());

    assertThat(git.resolve("v5.0.0")).contains(v50);
    assertThat(git.resolve("refs/tags/v5.0.0")).contains(v50);
    assertThat(git.resolve("v5.1.0")).contains(v51);
    assertThat(git.resolve(v52.name())).contains(v52);
    assertThat(git.resolve(v52.abbreviate(10).name())).contains(v52);
    assertThat(git.resolve("v9.9.9")).isEmpty();
    assertThat(git.resolve("0123456789abcdef0123456789abcdef01234567")).isEmpty();
  }

  @Test
  void ancestryFollowsParents() {
    GitFacts git = new RepositoryGitFacts(remote.repository());

    assertThat(git.isAncestor(initial, v52)).isTrue();
    assertThat(git.isAncestor(v50, v50)).isTrue();
    assertThat(git.isAncestor(v52, v50)).isFalse();
    assertThat(git.isAncestor(v50, hotfix)).isFalse();
    assertThat(git.isAncestor(ObjectId.fromString("0123456789abcdef0123456789abcdef01234567"), v52))
        .isFalse();
  }

  @Test
  void endToEndThroughRealGitANodePassesTheBarrierAndSkipsTheDeadend() {
    remote.commit(
        Policy.BRANCH,
        "barrier v5.0.0, dead-end v5.1.0",
        Map.of(
            Policy.FILE,
            """
            {
              "schema": 1,
              "deadends": [{"ref": "v5.1.0", "reason": "migration corrupts state"}],
              "barriers": [{"ref": "v5.0.0", "reason": "config format change"}]
            }
            """));
    Policy policy =
        PolicyReader.readRef(remote.repository(), "refs/heads/" + Policy.BRANCH).orElseThrow();
    ChannelTarget target =
        ChannelTarget.resolve(
            Channel.STABLE, policy.spec(Channel.STABLE), RemoteRefs.list(remote.uri()));
    ChannelHead head = ChannelHead.of(target);
    GitFacts git = new RepositoryGitFacts(remote.repository());
    Instant now = Instant.parse("2026-11-21T03:00:00Z");

    assertThat(head.version()).isEqualTo("v5.2.0");
    RolloutDecision fromInitial =
        RolloutDecider.decide(
            policy, head, new NodeFacts("n", Set.of(), 0.5, initial, Map.of()), git, now);
    assertThat(fromInitial.commit()).isEqualTo(v50);
    assertThat(fromInitial.reason().code()).isEqualTo(Reason.BARRIER);
    RolloutDecision fromDeadend =
        RolloutDecider.decide(
            policy, head, new NodeFacts("n", Set.of(), 0.5, v51, Map.of()), git, now);
    assertThat(fromDeadend.commit()).isEqualTo(v52);
    assertThat(fromDeadend.reason().code()).isEqualTo(Reason.DEADEND_ESCAPE);
  }
}
