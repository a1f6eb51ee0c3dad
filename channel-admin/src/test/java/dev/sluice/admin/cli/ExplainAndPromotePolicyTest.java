package dev.sluice.admin.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.admin.policy.RolloutPolicySource;
import dev.sluice.core.json.Json;
import dev.sluice.core.testing.TestRemote;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.lib.ObjectId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** explain gives the node's decision; promote obeys the policy's pause and soak. */
class ExplainAndPromotePolicyTest {

  private static final Instant RELEASED = Instant.parse("2026-11-01T10:00:00Z");

  @TempDir Path tmp;

  private TestRemote remote;
  private Cli cli;
  private ObjectId initial;
  private ObjectId v50;
  private ObjectId v51;

  @BeforeEach
  void createRemote() {
    remote = TestRemote.create(tmp);
    cli = new Cli(tmp).withPolicy(new RolloutPolicySource());
    initial = remote.tip("master");
    v50 = remote.commit("master", "5.0", Map.of("app.txt", "5.0\n"));
    remote.tag("v5.0.0", v50, "release 5.0.0");
    v51 = remote.commit("master", "5.1", Map.of("app.txt", "5.1\n"));
    remote.tag("v5.1.0", v51, "release 5.1.0");
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
    return run(RELEASED, args);
  }

  private static JsonNode parse(String json) {
    try {
      return Json.mapper().readTree(json);
    } catch (IOException e) {
      throw new AssertionError(json, e);
    }
  }

  @Test
  void explainSaysAStableNodeMovesToTheTarget() {
    Cli.Result result = run("explain", "--ticket", "0.5", "--current", initial.name());

    assertThat(result.code()).as(result.toString()).isZero();
    assertThat(result.out())
        .contains("policy    built-in defaults")
        .contains("channel   stable (ticket 0.5000 >= weight 0.07 from default probability)")
        .contains("target    v5.1.0 " + v51.abbreviate(8).name() + " on refs/heads/master")
        .contains("decision  move to v5.1.0 (" + v51.abbreviate(7).name() + ")");
  }

  @Test
  void explainFollowsThePolicyBarrierAndPauseLikeANode() {
    assertThat(run("barrier", "v5.0.0", "--reason", "config format change").code()).isZero();

    JsonNode below =
        parse(run("explain", "--ticket", "0.5", "--current", initial.name(), "--json").out());
    assertThat(below.path("decision").path("verdict").asText()).isEqualTo("move");
    assertThat(below.path("decision").path("commit").asText()).isEqualTo(v50.name());
    assertThat(below.path("decision").path("reason").path("code").asText()).isEqualTo("barrier");
    assertThat(below.path("policy").asText()).startsWith("rollout-policy at ");

    assertThat(run("pause", "stable", "--reason", "incident 42").code()).isZero();
    Cli.Result paused = run("explain", "--ticket", "0.5", "--current", "v5.0.0");
    assertThat(paused.out())
        .contains("decision  held (paused), not moving to v5.1.0")
        .contains("channel stable is paused: incident 42");
    Cli.Result onTarget = run("explain", "--ticket", "0.5", "--current", "v5.1.0", "--json");
    assertThat(parse(onTarget.out()).path("decision").path("verdict").asText()).isEqualTo("stay");
  }

  @Test
  void explainDrawsTheChannelFromTheGroupWeightsUnlessItIsPinned() {
    assertThat(run("policy", "set", "lottery.groupWeights.farm-1=1.0").code()).isZero();

    JsonNode farm = parse(run("explain", "--ticket", "0.99", "--group", "farm-1", "--json").out());
    assertThat(farm.path("channel").asText()).isEqualTo("preprod");
    assertThat(farm.path("lottery").path("source").asText()).isEqualTo("group farm-1");
    assertThat(farm.path("decision").path("reason").path("code").asText())
        .isEqualTo("first-install");

    JsonNode pinned =
        parse(
            run("explain", "--ticket", "0.01", "--group", "farm-1", "--channel", "stable", "--json")
                .out());
    assertThat(pinned.path("channel").asText()).isEqualTo("stable");
    assertThat(pinned.path("lottery").path("pinned").asBoolean()).isTrue();
  }

  @Test
  void explainRefusesBadFacts() {
    assertThat(run("explain", "--ticket", "1.0").code()).isEqualTo(2);
    assertThat(run("explain", "--ticket", "0.5", "--current", "v9.9.9").code()).isEqualTo(2);
    assertThat(run("explain", "--ticket", "0.5", "--channel", "beta").code()).isEqualTo(2);
    assertThat(run("explain").code()).isEqualTo(2);
  }

  @Test
  void promoteRefusesWhileStableIsPausedAndGoesThroughOnceResumed() {
    remote.setBranch("development", v51);
    remote.commit("development", "feature", Map.of("app.txt", "5.2\n"));
    assertThat(run("release", "5.2.0").code()).isZero();
    assertThat(run("pause", "stable", "--reason", "incident 42").code()).isZero();
    Instant soaked = RELEASED.plus(Duration.ofDays(7));

    Cli.Result refused = run(soaked, "promote");

    assertThat(refused.code()).as(refused.toString()).isEqualTo(3);
    assertThat(refused.err()).contains("stable-paused");
    assertThat(run(soaked, "resume", "stable", "--reason", "resolved").code()).isZero();
    Cli.Result promoted = run(soaked, "promote");
    assertThat(promoted.code()).as(promoted.toString()).isZero();
  }

  @Test
  void promoteTakesItsDefaultSoakFromThePolicy() {
    remote.setBranch("development", v51);
    remote.commit("development", "feature", Map.of("app.txt", "5.2\n"));
    assertThat(run("release", "5.2.0").code()).isZero();
    Instant threeDays = RELEASED.plus(Duration.ofDays(3));

    Cli.Result tooEarly = run(threeDays, "promote", "--dry-run");
    assertThat(tooEarly.code()).as(tooEarly.toString()).isEqualTo(3);
    assertThat(tooEarly.err()).contains("soak-not-over");

    assertThat(run(threeDays, "policy", "set", "promotion.soak=P3D").code()).isZero();
    Cli.Result dryRun = run(threeDays, "promote", "--dry-run");
    assertThat(dryRun.code()).as(dryRun.toString()).isZero();
    Cli.Result explicit = run(threeDays, "promote", "--dry-run", "--soak", "P4D");
    assertThat(explicit.code()).as(explicit.toString()).isEqualTo(3);
  }

  @Test
  void promoteRefusesToGuessWhenThePolicyIsInvalid() {
    remote.commit("rollout-policy", "broken", Map.of("channels.json", "{\"schema\": 1, \"x\": 1}"));

    Cli.Result result = run("promote", "--dry-run");

    assertThat(result.code()).as(result.toString()).isEqualTo(2);
    assertThat(result.err()).contains("  - x: unknown field");
  }
}
