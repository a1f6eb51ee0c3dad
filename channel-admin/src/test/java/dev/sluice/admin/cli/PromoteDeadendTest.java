package dev.sluice.admin.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.admin.policy.RolloutPolicySource;
import dev.sluice.core.json.Json;
import dev.sluice.core.testing.TestRemote;
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

/** A dead-end is a promotion gate: refused with exit 3 and the reason, and no override lifts it. */
class PromoteDeadendTest {

  private static final Instant RELEASED = Instant.parse("2026-11-01T10:00:00Z");
  private static final Instant SOAKED = RELEASED.plus(Duration.ofDays(7));

  @TempDir Path tmp;

  private TestRemote remote;
  private Cli cli;
  private ObjectId masterBefore;

  @BeforeEach
  void releaseAndMarkItADeadEnd() {
    remote = TestRemote.create(tmp);
    cli = new Cli(tmp).withPolicy(new RolloutPolicySource());
    masterBefore = remote.tip("master");
    remote.commit("development", "storage rewrite", Map.of("app.txt", "5.3\n"));
    ok(run(RELEASED, "release", "5.3.0"));
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

  private static void ok(Cli.Result result) {
    assertThat(result.code()).as(result.toString()).isZero();
  }

  @Test
  void promoteRefusesACandidateMarkedADeadEndWithTheReason() {
    ok(run(RELEASED, "deadend", "v5.3.0_pre", "--reason", "db migration corrupts state"));

    Cli.Result result = run(SOAKED, "promote");

    assertThat(result.code()).as(result.toString()).isEqualTo(3);
    assertThat(result.err())
        .contains("promotion of v5.3.0_pre refused")
        .contains(
            "  - deadend: v5.3.0_pre is a dead-end in the rollout policy (v5.3.0_pre: db migration"
                + " corrupts state)");
    assertThat(remote.tip("master")).isEqualTo(masterBefore);
    assertThat(Remotes.hasTag(remote.repository(), "v5.3.0")).isFalse();
  }

  @Test
  void overridingTheSoakDoesNotLiftTheDeadEndAndEveryReasonIsListed() {
    ok(run(RELEASED, "deadend", "v5.3.0_pre", "--reason", "corrupts state"));

    Cli.Result result =
        run(RELEASED.plusSeconds(60), "promote", "--override-soak", "--reason", "urgent");

    assertThat(result.code()).as(result.toString()).isEqualTo(3);
    assertThat(result.err()).contains("  - deadend: ").doesNotContain("soak-not-over");
    assertThat(remote.tip("master")).isEqualTo(masterBefore);
  }

  @Test
  void aDeadEndNamedByTheStableTagOrTheCommitAlsoCounts() {
    ObjectId candidate = remote.tagCommit("v5.3.0_pre");
    ok(run(RELEASED, "deadend", candidate.name(), "--reason", "by commit"));

    Cli.Result dryRun = run(SOAKED, "promote", "--dry-run", "--json");

    assertThat(dryRun.code()).isEqualTo(3);
    JsonNode decision = parse(dryRun.out()).get("decision");
    assertThat(decision.get("failures").get(0).get("code").asText()).isEqualTo("deadend");
    assertThat(decision.get("failures").get(0).get("text").asText()).contains("by commit");
  }

  @Test
  void aCandidateThatIsNotADeadEndRecordsThatTheGatePassed() {
    ok(run(RELEASED, "deadend", masterBefore.name(), "--reason", "some other commit"));

    Cli.Result result = run(SOAKED, "promote");

    ok(result);
    assertThat(remote.tagCommit("v5.3.0")).isNotNull();
    assertThat(Remotes.annotatedTag(remote.repository(), "v5.3.0").getFullMessage())
        .contains("Sluice-Gate: not-deadend passed: v5.3.0_pre is not a dead-end");
  }

  private static JsonNode parse(String json) {
    try {
      return Json.mapper().readTree(json);
    } catch (java.io.IOException e) {
      throw new AssertionError(json, e);
    }
  }
}
