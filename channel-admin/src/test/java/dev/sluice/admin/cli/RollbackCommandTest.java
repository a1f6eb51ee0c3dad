package dev.sluice.admin.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.admin.policy.RolloutPolicySource;
import dev.sluice.core.json.Json;
import dev.sluice.core.policy.Deadend;
import dev.sluice.core.policy.Policy;
import dev.sluice.core.policy.PolicyReader;
import dev.sluice.core.promotion.RollbackRecord;
import dev.sluice.core.testing.TestRemote;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.revwalk.RevTag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** rollback: back to an earlier release, the bad one a dead-end, all in one atomic push. */
class RollbackCommandTest {

  private static final Instant T0 = Instant.parse("2026-10-01T08:00:00Z");
  private static final Instant NOW = T0.plus(Duration.ofDays(40));

  @TempDir Path tmp;

  private TestRemote remote;
  private Cli cli;
  private ObjectId v10;
  private ObjectId v11;
  private ObjectId v12;

  /** Three releases, each soaked and promoted: master and preprod at 1.2.0. */
  @BeforeEach
  void releaseAndPromoteThreeVersions() {
    remote = TestRemote.create(tmp);
    cli = new Cli(tmp).withPolicy(new RolloutPolicySource());
    v10 = remote.commit("development", "one", Map.of("app.txt", "1.0\n"));
    releaseAndPromote("1.0.0", T0);
    v11 = remote.commit("development", "two", Map.of("app.txt", "1.1\n"));
    releaseAndPromote("1.1.0", T0.plus(Duration.ofDays(10)));
    v12 = remote.commit("development", "three", Map.of("app.txt", "1.2\n"));
    releaseAndPromote("1.2.0", T0.plus(Duration.ofDays(20)));
    assertThat(remote.tip("master")).isEqualTo(v12);
  }

  @AfterEach
  void closeRemote() {
    remote.close();
  }

  private void releaseAndPromote(String version, Instant at) {
    ok(run(at, "release", version));
    ok(run(at.plus(Duration.ofDays(7)), "promote"));
  }

  private Cli.Result run(Instant now, String... args) {
    List<String> all = new ArrayList<>(List.of("--remote", remote.uri(), "--now", now.toString()));
    all.addAll(List.of(args));
    return cli.run(all.toArray(String[]::new));
  }

  private Cli.Result run(String... args) {
    return run(NOW, args);
  }

  private static void ok(Cli.Result result) {
    assertThat(result.code()).as(result.toString()).isZero();
  }

  private List<String> rollbackTags() {
    try {
      return remote
          .repository()
          .getRefDatabase()
          .getRefsByPrefix(Constants.R_TAGS + RollbackRecord.TAG_PREFIX)
          .stream()
          .map(Ref::getName)
          .toList();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private Policy remotePolicy() {
    ObjectId tip = remote.tip(Policy.BRANCH);
    return tip == null ? Policy.defaults() : PolicyReader.read(remote.repository(), tip);
  }

  @Test
  void rollbackStableGoesBackToThePreviousPromotedReleaseInOneAtomicPush() {
    ObjectId preprodBefore = remote.tip("preprod");

    Cli.Result result = run("rollback", "stable", "--reason", "db migration corrupts state");

    ok(result);
    String tagName = "rollback/stable/20261110T080000Z";
    assertThat(result.out())
        .contains("rolled back stable: master v1.2.0 (" + v12.abbreviate(8).name() + ") -> v1.1.0")
        .contains("v1.2.0 is now a dead-end")
        .contains("tagged " + tagName);
    assertThat(remote.tip("master")).isEqualTo(v11);
    assertThat(remote.tip("preprod")).isEqualTo(preprodBefore);
    assertThat(remotePolicy().deadends())
        .containsExactly(new Deadend("v1.2.0", "db migration corrupts state"));
    RevTag tag = Remotes.annotatedTag(remote.repository(), tagName);
    assertThat(tag.getObject().getId()).isEqualTo(v12);
    assertThat(tag.getTaggerIdent().getName()).isEqualTo("Olga Operator");
    assertThat(tag.getTaggerIdent().getWhenAsInstant()).isEqualTo(NOW);
    RollbackRecord record = RollbackRecord.parse(tag.getFullMessage()).orElseThrow();
    assertThat(record)
        .isEqualTo(
            new RollbackRecord(
                "stable",
                "master",
                "v1.2.0",
                v12.name(),
                "v1.1.0",
                v11.name(),
                "v1.2.0",
                "db migration corrupts state"));

    // What an operator sees with plain git in a fresh clone.
    GitCli git = new GitCli(tmp);
    Path clone = tmp.resolve("clone");
    git.run(tmp, "clone", "--quiet", remote.uri(), clone.toString());
    assertThat(git.run(clone, "rev-parse", "origin/master")).isEqualTo(v11.name());
    assertThat(git.run(clone, "describe", "--tags", "--match", "v*", "origin/master"))
        .isEqualTo("v1.1.0");
    assertThat(git.run(clone, "cat-file", "-t", tagName)).isEqualTo("tag");
    assertThat(git.run(clone, "rev-list", "-n", "1", tagName)).isEqualTo(v12.name());
    assertThat(git.run(clone, "tag", "-l", "--format=%(contents)", tagName))
        .startsWith("Roll back stable from v1.2.0 to v1.1.0")
        .contains("Sluice-Reason: db migration corrupts state");
    assertThat(git.run(clone, "show", "origin/rollout-policy:channels.json"))
        .contains("\"ref\": \"v1.2.0\"")
        .contains("db migration corrupts state");
    assertThat(git.run(clone, "log", "-1", "--format=%an <%ae>%n%s", "origin/rollout-policy"))
        .isEqualTo(
            "Olga Operator <olga@ops.invalid>\ndead-end v1.2.0: db migration corrupts state");
  }

  @Test
  void rollbackGoesToTheReleaseGivenWithTo() {
    Cli.Result result = run("rollback", "stable", "--to", "v1.0.0", "--reason", "both broken");

    ok(result);
    assertThat(remote.tip("master")).isEqualTo(v10);
    assertThat(remotePolicy().deadends()).extracting(Deadend::ref).containsExactly("v1.2.0");
  }

  @Test
  void rollbackOfPreprodUsesThePreprodTagsAndAcceptsAPlainVersion() {
    Cli.Result result = run("rollback", "preprod", "--to", "1.0.0", "--reason", "bad");

    ok(result);
    assertThat(remote.tip("preprod")).isEqualTo(v10);
    assertThat(remote.tip("master")).isEqualTo(v12);
    assertThat(remotePolicy().deadends()).extracting(Deadend::ref).containsExactly("v1.2.0_pre");
    assertThat(rollbackTags()).singleElement().asString().startsWith("refs/tags/rollback/preprod/");
  }

  @Test
  void rollbackRefusesATargetThatIsNotAnEarlierReleaseOfTheChannel() {
    ObjectId side = remote.commit("side", "elsewhere", Map.of("x.txt", "x\n"));
    remote.tag("v1.0.5", side, "a stable tag that master never had");

    Cli.Result preprodTag = run("rollback", "stable", "--to", "v1.1.0_pre", "--reason", "x");
    Cli.Result notAncestor = run("rollback", "stable", "--to", "v1.0.5", "--reason", "x");
    Cli.Result current = run("rollback", "stable", "--to", "v1.2.0", "--reason", "x");

    assertThat(preprodTag.code()).as(preprodTag.toString()).isEqualTo(3);
    assertThat(preprodTag.err()).contains("v1.1.0_pre is not a stable release tag (pattern v*)");
    assertThat(notAncestor.code()).as(notAncestor.toString()).isEqualTo(3);
    assertThat(notAncestor.err())
        .contains("v1.0.5 (" + side.abbreviate(8).name() + ") is not an ancestor of master");
    assertThat(current.code()).as(current.toString()).isEqualTo(3);
    assertThat(current.err())
        .contains("master already is at v1.2.0")
        .contains("v1.2.0 is not older than v1.2.0");
    assertThat(remote.tip("master")).isEqualTo(v12);
    assertThat(remote.tip(Policy.BRANCH)).isNull();
    assertThat(rollbackTags()).isEmpty();
  }

  @Test
  void rollbackRefusesADeadEndTargetAndSkipsDeadEndsByDefault() {
    ok(run("deadend", "v1.1.0", "--reason", "leaks memory"));

    Cli.Result named = run("rollback", "stable", "--to", "v1.1.0", "--reason", "x");
    Cli.Result byDefault = run("rollback", "stable", "--reason", "corrupts state", "--json");

    assertThat(named.code()).as(named.toString()).isEqualTo(3);
    assertThat(named.err()).contains("v1.1.0 is a dead-end: leaks memory");
    ok(byDefault);
    assertThat(remote.tip("master")).isEqualTo(v10);
  }

  @Test
  void rollbackRefusesWhenThereIsNoEarlierRelease() {
    ok(run("rollback", "stable", "--to", "v1.0.0", "--reason", "first"));

    Cli.Result again = run(NOW.plusSeconds(5), "rollback", "stable", "--reason", "second");

    assertThat(again.code()).as(again.toString()).isEqualTo(3);
    assertThat(again.err())
        .contains("there is no earlier stable release (v*) on master below v1.0.0");
    assertThat(remote.tip("master")).isEqualTo(v10);
  }

  @Test
  void rollbackRefusesMalformedTargetsAsBadUsage() {
    for (String to : List.of("1.2", "9.9.9", "x".repeat(5000), "not a version")) {
      Cli.Result result = run("rollback", "stable", "--to", to, "--reason", "x");

      assertThat(result.code()).as(result.toString()).isEqualTo(2);
      assertThat(result.err().lines()).hasSize(1);
    }
    assertThat(run("rollback", "stable").code()).isEqualTo(2);
    assertThat(run("rollback", "beta", "--reason", "x").code()).isEqualTo(2);
    assertThat(remote.tip("master")).isEqualTo(v12);
  }

  @Test
  void rollbackThatLosesARaceForTheBranchChangesNothing() {
    ObjectId[] theirs = new ObjectId[1];
    cli.withHook(
        changes ->
            theirs[0] =
                Remotes.pushFromAnotherClone(
                    remote.uri(), tmp.resolve("other"), "master", "hotfix.txt"));

    Cli.Result result = run("rollback", "stable", "--reason", "bad");

    assertThat(result.code()).as(result.toString()).isEqualTo(4);
    assertThat(result.err()).contains("refs/heads/master").contains("nothing was changed");
    assertThat(remote.tip("master")).isEqualTo(theirs[0]);
    assertThat(remote.tip(Policy.BRANCH)).isNull();
    assertThat(rollbackTags()).isEmpty();
  }

  @Test
  void rollbackThatLosesARaceForThePolicyLeavesTheBranchAlone() {
    ok(run("pause", "preprod", "--reason", "quiet week"));
    ObjectId[] theirs = new ObjectId[1];
    cli.withHook(
        changes ->
            theirs[0] =
                Remotes.pushFromAnotherClone(
                    remote.uri(), tmp.resolve("other"), Policy.BRANCH, "note.txt"));

    Cli.Result result = run("rollback", "stable", "--reason", "bad");

    assertThat(result.code()).as(result.toString()).isEqualTo(4);
    assertThat(result.err()).contains("refs/heads/rollout-policy");
    assertThat(remote.tip("master")).isEqualTo(v12);
    assertThat(remote.tip(Policy.BRANCH)).isEqualTo(theirs[0]);
    assertThat(rollbackTags()).isEmpty();
  }

  @Test
  void dryRunPushesNothingAndNeedsNoIdentity() {
    cli.withEnv(Map.of());

    Cli.Result result = run("rollback", "stable", "--reason", "bad", "--dry-run", "--json");

    ok(result);
    JsonNode json = parse(result.out());
    assertThat(json.get("outcome").asText()).isEqualTo("would-roll-back");
    assertThat(json.get("to").asText()).isEqualTo("v1.1.0");
    assertThat(json.get("toCommit").asText()).isEqualTo(v11.name());
    assertThat(json.get("policyCommit").isNull()).isTrue();
    assertThat(remote.tip("master")).isEqualTo(v12);
    assertThat(remote.tip(Policy.BRANCH)).isNull();
    assertThat(rollbackTags()).isEmpty();
  }

  @Test
  void aReleaseAlreadyMarkedADeadEndKeepsItsEntryAndOnlyBranchAndTagMove() {
    ok(run("deadend", "v1.2.0", "--reason", "found by QA"));
    ObjectId policyBefore = remote.tip(Policy.BRANCH);

    Cli.Result result = run("rollback", "stable", "--reason", "rolling back", "--json");

    ok(result);
    JsonNode json = parse(result.out());
    assertThat(json.get("deadendAdded").asBoolean()).isFalse();
    assertThat(json.get("deadend").asText()).isEqualTo("v1.2.0");
    assertThat(remote.tip(Policy.BRANCH)).isEqualTo(policyBefore);
    assertThat(remote.tip("master")).isEqualTo(v11);
    assertThat(rollbackTags()).hasSize(1);
  }

  @Test
  void theRolledBackReleaseIsNeverPromotedAgainEvenWithASoakOverride() {
    ok(run("rollback", "stable", "--reason", "db migration corrupts state"));

    Cli.Result promote = run(NOW.plusSeconds(60), "promote");
    Cli.Result overridden =
        run(NOW.plusSeconds(60), "promote", "--override-soak", "--reason", "please");
    Cli.Result status = run(NOW.plusSeconds(60), "status");

    assertThat(promote.code()).as(promote.toString()).isEqualTo(3);
    assertThat(promote.err())
        .contains("  - deadend: v1.2.0_pre is a dead-end in the rollout policy")
        .contains("db migration corrupts state");
    assertThat(overridden.code()).as(overridden.toString()).isEqualTo(3);
    assertThat(overridden.err()).contains("deadend:");
    assertThat(status.out())
        .contains("stable     master     " + v11.abbreviate(8).name() + "  v1.1.0")
        .contains("promote    would be refused:")
        .contains("  - deadend: ");
    assertThat(remote.tip("master")).isEqualTo(v11);
  }

  @Test
  void historyShowsTheRollbackWithItsReason() {
    ok(run("rollback", "stable", "--reason", "db migration corrupts state"));

    Cli.Result human = run("history");
    Cli.Result json = run("history", "--json");

    ok(human);
    assertThat(human.out().lines().findFirst().orElseThrow())
        .startsWith(NOW + "  rollback   stable  v1.2.0 -> v1.1.0")
        .contains("dead-end v1.2.0")
        .contains("reason: db migration corrupts state")
        .contains("by Olga Operator <olga@ops.invalid>");
    JsonNode entry = parse(json.out()).get(0);
    assertThat(entry.get("kind").asText()).isEqualTo("rollback");
    assertThat(entry.get("channel").asText()).isEqualTo("stable");
    assertThat(entry.get("tag").asText()).isEqualTo("rollback/stable/20261110T080000Z");
    assertThat(entry.get("from").asText()).isEqualTo("v1.2.0");
    assertThat(entry.get("commit").asText()).isEqualTo(v12.name());
    assertThat(entry.get("to").asText()).isEqualTo("v1.1.0");
    assertThat(entry.get("toCommit").asText()).isEqualTo(v11.name());
    assertThat(entry.get("deadend").asText()).isEqualTo("v1.2.0");
    assertThat(entry.get("reason").asText()).isEqualTo("db migration corrupts state");
    assertThat(entry.get("by").asText()).isEqualTo("Olga Operator <olga@ops.invalid>");
  }

  private static JsonNode parse(String json) {
    try {
      return Json.mapper().readTree(json);
    } catch (IOException e) {
      throw new AssertionError(json, e);
    }
  }
}
