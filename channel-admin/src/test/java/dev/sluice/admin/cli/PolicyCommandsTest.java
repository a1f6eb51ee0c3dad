package dev.sluice.admin.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.channel.Channel;
import dev.sluice.core.json.Json;
import dev.sluice.core.policy.Deadend;
import dev.sluice.core.policy.Policy;
import dev.sluice.core.policy.PolicyReader;
import dev.sluice.core.policy.PolicyWriter;
import dev.sluice.core.policy.Rollout;
import dev.sluice.core.testing.TestRemote;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyCommandsTest {

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
    return cli.run(all.toArray(String[]::new));
  }

  private ObjectId policyTip() {
    return remote.tip(Policy.BRANCH);
  }

  private Policy remotePolicy() {
    return PolicyReader.read(remote.repository(), policyTip());
  }

  private RevCommit commit(ObjectId id) {
    try (RevWalk walk = new RevWalk(remote.repository())) {
      return walk.parseCommit(id);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private List<String> files(RevCommit commit) {
    List<String> files = new ArrayList<>();
    try (TreeWalk walk = new TreeWalk(remote.repository())) {
      walk.addTree(commit.getTree());
      walk.setRecursive(true);
      while (walk.next()) {
        files.add(walk.getPathString());
      }
      return files;
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void showPrintsTheBuiltInDefaultsWhenThereIsNoPolicyBranch() {
    Cli.Result result = run("policy", "show");

    assertThat(result.code()).as(result.toString()).isZero();
    assertThat(result.out())
        .startsWith("# built-in defaults (no rollout-policy branch on ")
        .contains("\"probability\": 0.07")
        .contains("\"maxAttempts\": 3");
    assertThat(policyTip()).isNull();
  }

  @Test
  void pauseCreatesThePolicyBranchWithOneCommitHoldingOnlyChannelsJson() {
    Cli.Result result = run("pause", "stable", "--reason", "incident 42");

    assertThat(result.code()).as(result.toString()).isZero();
    assertThat(result.out()).startsWith("pause stable: incident 42 (rollout-policy ");
    RevCommit commit = commit(policyTip());
    assertThat(commit.getParentCount()).isZero();
    assertThat(commit.getFullMessage()).isEqualTo("pause stable: incident 42\n");
    assertThat(commit.getAuthorIdent().getName()).isEqualTo("Olga Operator");
    assertThat(commit.getCommitterIdent().getWhenAsInstant()).isEqualTo(NOW);
    assertThat(files(commit)).containsExactly("channels.json");
    assertThat(remotePolicy().channel(Channel.STABLE).paused()).isTrue();
    assertThat(remotePolicy().channel(Channel.STABLE).pauseReason()).isEqualTo("incident 42");
    assertThat(remotePolicy().channel(Channel.PREPROD).paused()).isFalse();
  }

  @Test
  void resumeIsASecondCommitOnTopAndRepeatingAnEditChangesNothing() {
    run("pause", "preprod", "--reason", "bad batch");
    ObjectId paused = policyTip();

    Cli.Result again = run("pause", "preprod", "--reason", "bad batch");
    assertThat(again.code()).as(again.toString()).isZero();
    assertThat(again.out()).startsWith("nothing to change: preprod is already paused");
    assertThat(policyTip()).isEqualTo(paused);

    Cli.Result resume = run("resume", "preprod", "--reason", "fixed in 1.0.1");
    assertThat(resume.code()).as(resume.toString()).isZero();
    RevCommit commit = commit(policyTip());
    assertThat(commit.getParent(0)).isEqualTo(paused);
    assertThat(commit.getShortMessage()).isEqualTo("resume preprod: fixed in 1.0.1");
    Policy defaults = Policy.defaults();
    assertThat(remotePolicy())
        .as("the defaults, but the guard counts from the resume on")
        .isEqualTo(
            defaults.withChannel(Channel.PREPROD, defaults.channel(Channel.PREPROD).resumeAt(NOW)));
  }

  @Test
  void pauseAndResumeNeedAChannelAndAReason() {
    assertThat(run("pause", "beta", "--reason", "x").code()).isEqualTo(2);
    Cli.Result noReason = run("pause", "stable");
    assertThat(noReason.code()).isEqualTo(2);
    assertThat(noReason.err()).contains("--reason");
    assertThat(run("resume", "stable", "--reason", " ").code()).isEqualTo(2);
    assertThat(policyTip()).isNull();
  }

  @Test
  void deadendAndBarrierRecordRefsThatExistOnTheRemote() {
    Cli.Result deadend = run("deadend", "v1.0.0", "--reason", "db migration corrupts state");
    Cli.Result barrier = run("barrier", v1.name(), "--reason", "config format change");

    assertThat(deadend.code()).as(deadend.toString()).isZero();
    assertThat(barrier.code()).as(barrier.toString()).isZero();
    Policy policy = remotePolicy();
    assertThat(policy.deadends())
        .containsExactly(new Deadend("v1.0.0", "db migration corrupts state"));
    assertThat(policy.barriers())
        .singleElement()
        .satisfies(b -> assertThat(b.ref()).isEqualTo(v1.name()));
    RevCommit commit = commit(policyTip());
    assertThat(commit.getFullMessage())
        .isEqualTo(
            "barrier " + v1.name() + ": config format change\n\nCommit: " + v1.name() + "\n");
  }

  @Test
  void unknownRefsAreRefusedBeforeAnythingIsPushed() {
    Cli.Result result = run("deadend", "v9.9.9", "--reason", "typo");

    assertThat(result.code()).as(result.toString()).isEqualTo(2);
    assertThat(result.err())
        .isEqualTo("channel-admin: 'v9.9.9' is not a tag, ref or commit on the remote\n");
    assertThat(run("barrier", "v1..0", "--reason", "x").code()).isEqualTo(2);
    assertThat(policyTip()).isNull();
  }

  @Test
  void rolloutStartsNowByDefaultAndValidatesItsNumbers() {
    Cli.Result result = run("rollout", "v1.0.0", "--duration", "PT48H", "--start-fraction", "0.1");

    assertThat(result.code()).as(result.toString()).isZero();
    assertThat(remotePolicy().rollouts())
        .containsExactly(new Rollout("v1.0.0", NOW, Duration.ofHours(48), 0.1));
    assertThat(commit(policyTip()).getShortMessage())
        .isEqualTo(
            "phased rollout of v1.0.0 from 2026-11-21T10:00:00Z over PT48H (start fraction 0.1)");

    ObjectId before = policyTip();
    assertThat(run("rollout", "v1.0.0", "--duration", "48h").code()).isEqualTo(2);
    assertThat(run("rollout", "v1.0.0", "--duration", "PT48H", "--start-fraction", "1.5").code())
        .isEqualTo(2);
    assertThat(run("rollout", "v1.0.0", "--duration", "PT0S").code()).isEqualTo(2);
    assertThat(policyTip()).isEqualTo(before);

    Cli.Result later =
        run("rollout", "v1.0.0", "--duration", "P3D", "--start", "2026-12-01T00:00:00Z");
    assertThat(later.code()).as(later.toString()).isZero();
    assertThat(remotePolicy().rollouts())
        .containsExactly(
            new Rollout("v1.0.0", Instant.parse("2026-12-01T00:00:00Z"), Duration.ofDays(3), 0.0));
  }

  @Test
  void policySetChangesSeveralFieldsInOneCommitThatSaysWhatTheyWere() {
    Cli.Result result =
        run("policy", "set", "lottery.probability=0.1", "promotion.soak=P3D", "--reason", "faster");

    assertThat(result.code()).as(result.toString()).isZero();
    Policy policy = remotePolicy();
    assertThat(policy.lottery().probability()).isEqualTo(0.1);
    assertThat(policy.promotion().soak()).isEqualTo(Duration.ofDays(3));
    assertThat(commit(policyTip()).getFullMessage())
        .isEqualTo(
            "policy set lottery.probability=0.1 promotion.soak=P3D: faster\n\n"
                + "lottery.probability=0.1 (was 0.07)\n"
                + "promotion.soak=\"P3D\" (was \"P7D\")\n");
  }

  @Test
  void policySetRefusesAnInvalidResultWithEveryErrorAndPushesNothing() {
    Cli.Result result =
        run(
            "policy",
            "set",
            "lottery.groupWeights.farm-1=1.0",
            "frozen=[\"farm-1\"]",
            "maxAttempts=0");

    assertThat(result.code()).as(result.toString()).isEqualTo(2);
    assertThat(result.err())
        .startsWith("channel-admin: channels.json after policy set is invalid:\n")
        .contains("  - frozen[0]: \"farm-1\" also has a weight in lottery.groupWeights")
        .contains("  - maxAttempts: 0 is not a whole number from 1 to 1000");
    assertThat(policyTip()).isNull();
  }

  @Test
  void validateListsEveryErrorOfTheRemoteFileAndExitsTwo() {
    ObjectId broken =
        remote.commit(
            Policy.BRANCH,
            "hand edit",
            Map.of(Policy.FILE, "{\"schema\": 1, \"maxAttempts\": 0, \"colour\": \"red\"}"));

    Cli.Result result = run("policy", "validate");

    assertThat(result.code()).as(result.toString()).isEqualTo(2);
    assertThat(result.err())
        .isEqualTo(
            "channel-admin: channels.json at rollout-policy "
                + broken.abbreviate(10).name()
                + " is invalid:\n"
                + "  - colour: unknown field; expected one of schema, channels, lottery, promotion,"
                + " frozen, deadends, barriers, rollouts, maintenanceWindows, maxAttempts,"
                + " updateLimits\n"
                + "  - maxAttempts: 0 is not a whole number from 1 to 1000\n");
    Cli.Result json = run("policy", "validate", "--json");
    assertThat(json.code()).isEqualTo(2);
    JsonNode report = parse(json.out());
    assertThat(report.path("valid").asBoolean(true)).isFalse();
    assertThat(report.path("commit").asText()).isEqualTo(broken.name());
    assertThat(report.path("errors")).hasSize(2);
    Cli.Result show = run("policy", "show");
    assertThat(show.code()).isEqualTo(2);
    assertThat(show.out()).contains("(INVALID)").contains("\"colour\": \"red\"");
  }

  @Test
  void validatePassesAValidRemoteAndChecksLocalFilesWithoutARemote() throws IOException {
    run("pause", "stable", "--reason", "x");
    Cli.Result remoteResult = run("policy", "validate");
    assertThat(remoteResult.code()).as(remoteResult.toString()).isZero();
    assertThat(remoteResult.out()).startsWith("valid: rollout-policy at ");

    Path good = tmp.resolve("good.json");
    Files.writeString(good, PolicyWriter.write(Policy.defaults()));
    Path bad = tmp.resolve("bad.json");
    Files.writeString(
        bad,
        "{\"schema\": 1, \"rollouts\": [{\"ref\": \"v1\", \"start\": \"2026-11-20T00:00:00Z\", \"duration\": \"48h\"}]}");
    assertThat(cli.runExactly("policy", "validate", "--file", good.toString()).code()).isZero();
    Cli.Result invalid = cli.runExactly("policy", "validate", "--file", bad.toString());
    assertThat(invalid.code()).isEqualTo(2);
    assertThat(invalid.err())
        .contains("  - rollouts[0].duration: \"48h\" is not an ISO-8601 duration, e.g. PT48H");
  }

  @Test
  void editsRefuseToBuildOnAnInvalidRemotePolicy() {
    ObjectId broken = remote.commit(Policy.BRANCH, "oops", Map.of(Policy.FILE, "{\"schema\": 2}"));

    Cli.Result result = run("pause", "stable", "--reason", "x");

    assertThat(result.code()).isEqualTo(2);
    assertThat(result.err()).contains("schema: 2 is not a supported schema version");
    assertThat(policyTip()).isEqualTo(broken);
  }

  @Test
  void aConcurrentEditMakesThePushFailWithExitFourAndNothingChanged() {
    run("pause", "stable", "--reason", "first");
    ObjectId[] theirs = new ObjectId[1];
    cli.withHook(
        changes ->
            theirs[0] =
                remote.commit(
                    Policy.BRANCH,
                    "someone else",
                    Map.of(Policy.FILE, PolicyWriter.write(Policy.defaults()))));

    Cli.Result result = run("deadend", "v1.0.0", "--reason", "bad");

    assertThat(result.code()).as(result.toString()).isEqualTo(4);
    assertThat(result.err()).contains("rejected the push").contains("refs/heads/rollout-policy");
    assertThat(policyTip()).isEqualTo(theirs[0]);
  }

  @Test
  void creatingTheBranchFailsWithExitFourWhenSomeoneElseCreatedItFirst() {
    cli.withHook(
        changes ->
            remote.commit(
                Policy.BRANCH,
                "first",
                Map.of(Policy.FILE, PolicyWriter.write(Policy.defaults()))));

    Cli.Result result = run("pause", "stable", "--reason", "x");

    assertThat(result.code()).as(result.toString()).isEqualTo(4);
    assertThat(remotePolicy()).isEqualTo(Policy.defaults());
  }

  @Test
  void policyWithoutASubcommandIsBadUsage() {
    assertThat(run("policy").code()).isEqualTo(2);
  }

  private static JsonNode parse(String json) {
    try {
      return Json.mapper().readTree(json);
    } catch (IOException e) {
      throw new AssertionError(json, e);
    }
  }
}
