package dev.sluice.admin.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.policy.Policy;
import dev.sluice.core.policy.PolicyReader;
import dev.sluice.core.testing.TestRemote;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.lib.ObjectId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * channel-admin never pushes a policy that a program could not load or apply: values out of range,
 * duplicate keys and policies that throw when decided are refused with exit 2, naming the field,
 * and the remote keeps its policy.
 */
class PolicyPushProofTest {

  private static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");

  @TempDir Path tmp;

  private TestRemote remote;
  private Cli cli;

  @BeforeEach
  void createRemote() {
    remote = TestRemote.create(tmp);
    cli = new Cli(tmp);
    ObjectId v1 = remote.commit("master", "one", Map.of("app.txt", "1\n"));
    remote.tag("v1.0.0", v1, "release 1.0.0");
    ObjectId pre = remote.commit("preprod", "two", Map.of("app.txt", "2\n"));
    remote.tag("v1.1.0_pre", pre, "preprod release 1.1.0");
  }

  @AfterEach
  void closeRemote() {
    remote.close();
  }

  private Cli.Result run(Instant now, String... args) {
    List<String> all = new ArrayList<>(List.of("--remote", remote.uri(), "--now", now.toString()));
    all.addAll(List.of(args));
    return cli.run(all.toArray(String[]::new));
  }

  private Cli.Result run(String... args) {
    return run(NOW, args);
  }

  private void assertRefused(Cli.Result result, String field) {
    assertThat(result.code()).as(result.toString()).isEqualTo(2);
    assertThat(result.err()).as(result.toString()).contains("  - " + field + ": ");
  }

  @Test
  void aLotteryPeriodThatWouldStopEveryNodeIsRefusedAndNothingIsPushed() {
    Cli.Result result = run("policy", "set", "lottery.period=P999999999Y");

    assertRefused(result, "lottery.period");
    assertThat(remote.tip(Policy.BRANCH)).isNull();
    assertThat(run("policy", "set", "lottery.period=P1Y").code()).isZero();
    assertThat(run("policy", "set", "lottery.period=P13M").code()).isEqualTo(2);
  }

  @Test
  void soaksThatWouldCrashStatusAndPromoteAreRefused() {
    assertThat(run("policy", "set", "promotion.soak=P2D").code()).isZero();
    ObjectId before = remote.tip(Policy.BRANCH);

    for (String soak : List.of("P999999999999D", "PT9223372036854775807S", "P366D")) {
      assertRefused(run("policy", "set", "promotion.soak=" + soak), "promotion.soak");
    }

    assertThat(remote.tip(Policy.BRANCH)).isEqualTo(before);
    Cli.Result status = run("status");
    assertThat(status.code()).as(status.toString()).isZero();
    assertThat(run("policy", "set", "promotion.soak=P365D").code()).isZero();
    assertThat(run("status").code()).isZero();
  }

  @Test
  void duplicateKeysInAValueOrRepeatedFieldsAreRefused() {
    Cli.Result duplicate =
        run("policy", "set", "lottery.groupWeights={\"farm-1\": 1.0, \"farm-1\": 0.0}");
    assertRefused(duplicate, "lottery.groupWeights");
    assertThat(duplicate.err()).contains("duplicate key").contains("farm-1");

    Cli.Result twice = run("policy", "set", "maxAttempts=2", "maxAttempts=5");
    assertRefused(twice, "maxAttempts");
    assertThat(twice.err()).contains("is set twice");
    assertThat(remote.tip(Policy.BRANCH)).isNull();
  }

  @Test
  void aDocumentWithDuplicateKeysOnTheRemoteIsInvalid() {
    remote.commit(
        Policy.BRANCH,
        "hand edit",
        Map.of(Policy.FILE, "{\"schema\": 1, \"maxAttempts\": 2, \"maxAttempts\": 9}"));

    Cli.Result result = run("policy", "validate");

    assertThat(result.code()).as(result.toString()).isEqualTo(2);
    assertThat(result.err()).contains("Duplicate field 'maxAttempts'");
  }

  @Test
  void aPolicyThatThrowsWhenDecidedIsNotPushed() {
    // Two days before the last instant Java can represent, the next lottery draw overflows.
    Instant endOfTime = Instant.MAX.minusSeconds(2 * 86_400);

    Cli.Result result = run(endOfTime, "pause", "stable", "--reason", "incident 42");

    assertRefused(result, "lottery.period");
    assertThat(result.err()).contains("channels.json to be pushed is invalid");
    assertThat(remote.tip(Policy.BRANCH)).isNull();
  }

  @Test
  void aReasonLongerThanThePolicyHoldsIsBadUsage() {
    Cli.Result result = run("pause", "stable", "--reason", "x".repeat(1001));

    assertThat(result.code()).as(result.toString()).isEqualTo(2);
    assertThat(result.err()).contains("at most 1000 characters");
    assertThat(remote.tip(Policy.BRANCH)).isNull();
    assertThat(run("pause", "stable", "--reason", "x".repeat(1000)).code()).isZero();
    assertThat(PolicyReader.read(remote.repository(), remote.tip(Policy.BRANCH)).channels())
        .isNotEmpty();
  }
}
