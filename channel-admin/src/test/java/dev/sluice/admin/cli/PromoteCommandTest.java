package dev.sluice.admin.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.json.Json;
import dev.sluice.core.promotion.PromotionRecord;
import dev.sluice.core.testing.TestRemote;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.revwalk.RevTag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PromoteCommandTest {

  private static final Instant RELEASED = Instant.parse("2026-11-01T10:00:00Z");
  private static final Instant SOAKED = RELEASED.plus(Duration.ofDays(7));

  @TempDir Path tmp;

  private TestRemote remote;
  private Cli cli;
  private ObjectId released;

  @BeforeEach
  void releaseOneVersion() {
    remote = TestRemote.create(tmp);
    cli = new Cli(tmp);
    released = remote.commit("development", "feature", Map.of("app.txt", "1\n"));
    Cli.Result release =
        cli.run("--remote", remote.uri(), "--now", at(RELEASED), "release", "1.0.0");
    assertThat(release.code()).as(release.toString()).isZero();
  }

  @AfterEach
  void tearDown() {
    remote.close();
  }

  private static String at(Instant instant) {
    return instant.toString();
  }

  @Test
  void promoteRefusesOneSecondBeforeTheSoakEnds() {
    ObjectId masterBefore = remote.tip("master");

    Cli.Result result =
        cli.run("--remote", remote.uri(), "promote", "--now", at(SOAKED.minusSeconds(1)));

    assertThat(result.code()).as(result.toString()).isEqualTo(3);
    assertThat(result.err())
        .contains("promotion of v1.0.0_pre refused")
        .contains("  - soak-not-over: v1.0.0_pre has soaked 6d 23h 59m 59s of 7d; 1s left");
    assertThat(remote.tip("master")).isEqualTo(masterBefore);
    assertThat(Remotes.hasTag(remote.repository(), "v1.0.0")).isFalse();
  }

  @Test
  void promoteGoesThroughWhenTheSoakIsExactlyMet() {
    Cli.Result result = cli.run("--remote", remote.uri(), "--now", at(SOAKED), "promote");

    assertThat(result.code()).as(result.toString()).isZero();
    assertThat(result.out()).contains("promoted v1.0.0_pre").contains("as v1.0.0");
    assertThat(remote.tip("master")).isEqualTo(released);
    RevTag tag = Remotes.annotatedTag(remote.repository(), "v1.0.0");
    assertThat(tag.getObject().getId()).isEqualTo(released);
    assertThat(tag.getTaggerIdent().getWhenAsInstant()).isEqualTo(SOAKED);
    PromotionRecord record = PromotionRecord.parse(tag.getFullMessage()).orElseThrow();
    assertThat(record.soakServed()).isEqualTo(Duration.ofDays(7));
    assertThat(record.commit()).isEqualTo(released.name());
    assertThat(record.overrideReason()).isNull();
    assertThat(tag.getFullMessage()).contains("Sluice-Soak-Served: PT168H");
  }

  @Test
  void promoteTakesTheSoakedCommitNotWherePreprodPointsNow() {
    ObjectId later = remote.commit("preprod", "landed after the release", Map.of("b.txt", "b\n"));

    Cli.Result result = cli.run("--remote", remote.uri(), "--now", at(SOAKED), "promote");

    assertThat(result.code()).as(result.toString()).isZero();
    assertThat(remote.tip("master")).isEqualTo(released).isNotEqualTo(later);
    assertThat(remote.tagCommit("v1.0.0")).isEqualTo(released);
    assertThat(remote.tip("preprod")).isEqualTo(later);
  }

  @Test
  void promoteWhenAnotherOperatorPushesToMasterFirstChangesNothing() {
    ObjectId[] theirs = new ObjectId[1];
    cli.withHook(
        changes ->
            theirs[0] =
                Remotes.pushFromAnotherClone(
                    remote.uri(), tmp.resolve("other"), "master", "hotfix.txt"));

    Cli.Result result = cli.run("--remote", remote.uri(), "--now", at(SOAKED), "promote");

    assertThat(result.code()).as(result.toString()).isEqualTo(4);
    assertThat(result.err())
        .contains("rejected the push, nothing was changed")
        .contains("refs/heads/master");
    assertThat(remote.tip("master")).isEqualTo(theirs[0]);
    assertThat(Remotes.hasTag(remote.repository(), "v1.0.0")).isFalse();
  }

  @Test
  void promoteWhenAnotherOperatorTakesTheTagFirstLeavesMasterAlone() {
    ObjectId masterBefore = remote.tip("master");
    cli.withHook(changes -> remote.tag("v1.0.0", masterBefore, "someone else's tag"));

    Cli.Result result = cli.run("--remote", remote.uri(), "--now", at(SOAKED), "promote");

    assertThat(result.code()).as(result.toString()).isEqualTo(4);
    assertThat(remote.tip("master")).isEqualTo(masterBefore);
    assertThat(remote.tagCommit("v1.0.0")).isEqualTo(masterBefore);
  }

  @Test
  void promotingTwiceSaysAlreadyPromoted() {
    Cli.Result first = cli.run("--remote", remote.uri(), "--now", at(SOAKED), "promote");
    Cli.Result second =
        cli.run("--remote", remote.uri(), "--now", at(SOAKED.plusSeconds(60)), "promote");
    Cli.Result json =
        cli.run("--remote", remote.uri(), "--now", at(SOAKED.plusSeconds(60)), "promote", "--json");

    assertThat(first.code()).isZero();
    assertThat(second.code()).as(second.toString()).isZero();
    assertThat(second.out()).contains("v1.0.0_pre is already promoted as v1.0.0");
    assertThat(json.out()).contains("\"outcome\" : \"already-promoted\"");
    assertThat(remote.tip("master")).isEqualTo(released);
  }

  @Test
  void dryRunPrintsTheDecisionAndChangesNothing() {
    ObjectId masterBefore = remote.tip("master");

    Cli.Result result =
        cli.run("--remote", remote.uri(), "--now", at(SOAKED), "promote", "--dry-run");

    assertThat(result.code()).as(result.toString()).isZero();
    assertThat(result.out())
        .contains("would promote v1.0.0_pre")
        .contains("dry run, nothing pushed")
        .contains("passed soak: v1.0.0_pre has soaked 7d of 7d")
        .contains("passed fast-forward");
    assertThat(remote.tip("master")).isEqualTo(masterBefore);
    assertThat(Remotes.hasTag(remote.repository(), "v1.0.0")).isFalse();
  }

  @Test
  void overrideSoakPromotesEarlyAndRecordsTheReason() {
    Cli.Result result =
        cli.run(
            "--remote",
            remote.uri(),
            "--now",
            at(RELEASED.plus(Duration.ofHours(3))),
            "promote",
            "--override-soak",
            "--reason",
            "CVE-2026-1234 fix");

    assertThat(result.code()).as(result.toString()).isZero();
    assertThat(result.out()).contains("soak overridden: CVE-2026-1234 fix");
    PromotionRecord record =
        PromotionRecord.parse(Remotes.annotatedTag(remote.repository(), "v1.0.0").getFullMessage())
            .orElseThrow();
    assertThat(record.overrideReason()).isEqualTo("CVE-2026-1234 fix");
    assertThat(record.soakServed()).isEqualTo(Duration.ofHours(3));
  }

  @Test
  void overrideWithoutReasonIsBadUsage() {
    Cli.Result result =
        cli.run("--remote", remote.uri(), "--now", at(RELEASED), "promote", "--override-soak");

    assertThat(result.code()).isEqualTo(2);
    assertThat(result.err()).contains("--override-soak needs --reason");
  }

  @Test
  void refusalListsEveryFailedGate() {
    remote.commit("master", "hotfix straight on master", Map.of("hot.txt", "h\n"));

    Cli.Result result =
        cli.run("--remote", remote.uri(), "--now", at(RELEASED.plusSeconds(10)), "promote");

    assertThat(result.code()).isEqualTo(3);
    assertThat(result.err()).contains("  - soak-not-over: ").contains("  - not-fast-forward: ");
  }

  @Test
  void soakOptionChangesTheRequiredSoak() {
    Cli.Result result =
        cli.run(
            "--remote",
            remote.uri(),
            "--now",
            at(RELEASED.plus(Duration.ofHours(36))),
            "promote",
            "--soak",
            "PT36H");

    assertThat(result.code()).as(result.toString()).isZero();
    assertThat(result.out()).contains("soak served 1d 12h of 1d 12h");
  }

  @Test
  void jsonRefusalHasTheDecisionWithEveryFailure() throws Exception {
    Cli.Result result =
        cli.run(
            "--remote", remote.uri(), "--now", at(RELEASED.plusSeconds(60)), "promote", "--json");

    assertThat(result.code()).isEqualTo(3);
    JsonNode json = Json.mapper().readTree(result.out());
    assertThat(json.get("outcome").asText()).isEqualTo("refused");
    assertThat(json.get("candidate").asText()).isEqualTo("v1.0.0_pre");
    assertThat(json.get("stableTag").asText()).isEqualTo("v1.0.0");
    assertThat(json.get("commit").asText()).isEqualTo(released.name());
    JsonNode decision = json.get("decision");
    assertThat(decision.get("allowed").asBoolean()).isFalse();
    assertThat(decision.get("soakRequired").asText()).isEqualTo("PT168H");
    assertThat(decision.get("soakServed").asText()).isEqualTo("PT1M");
    assertThat(decision.get("failures").get(0).get("code").asText()).isEqualTo("soak-not-over");
  }

  @Test
  void noCandidateIsRefused() throws Exception {
    try (TestRemote empty = TestRemote.create(tmp.resolve("empty"))) {
      Cli.Result result = new Cli(tmp.resolve("empty")).run("--remote", empty.uri(), "promote");

      assertThat(result.code()).isEqualTo(3);
      assertThat(result.err()).contains("no-candidate: there is no preprod release tag");
    }
  }
}
