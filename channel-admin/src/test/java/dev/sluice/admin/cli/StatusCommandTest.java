package dev.sluice.admin.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.json.Json;
import dev.sluice.core.testing.TestRemote;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.eclipse.jgit.lib.ObjectId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatusCommandTest {

  private static final Instant RELEASED = Instant.parse("2026-11-01T10:00:00Z");

  @TempDir Path tmp;

  private TestRemote remote;
  private Cli cli;
  private ObjectId released;

  @BeforeEach
  void setUp() {
    remote = TestRemote.create(tmp);
    cli = new Cli(tmp);
    remote.commit("development", "one", Map.of("app.txt", "1\n"));
    released = remote.commit("development", "two", Map.of("app.txt", "2\n"));
    assertThat(
            cli.run("--remote", remote.uri(), "--now", RELEASED.toString(), "release", "1.0.0")
                .code())
        .isZero();
  }

  @AfterEach
  void tearDown() {
    remote.close();
  }

  @Test
  void statusShowsChannelsCandidateSoakAndEveryReasonPromoteWouldFail() {
    Cli.Result result =
        cli.run(
            "--remote",
            remote.uri(),
            "--now",
            RELEASED.plus(Duration.ofDays(2)).toString(),
            "status");

    assertThat(result.code()).as(result.toString()).isZero();
    assertThat(result.out())
        .contains("stable     master     " + remote.tip("master").abbreviate(8).name())
        .contains("no release yet")
        .contains("preprod    preprod    " + released.abbreviate(8).name() + "  v1.0.0_pre")
        .contains("preprod is 2 commits ahead of master, 0 behind")
        .contains("candidate  v1.0.0_pre")
        .contains("soak       7d required, 2d served, 5d remaining (until 2026-11-08T10:00:00Z)")
        .contains("promote    would be refused:")
        .contains("  - soak-not-over: ");
  }

  @Test
  void statusSaysWhenPromoteWouldGoThroughAndWhenItIsDone() {
    String soaked = RELEASED.plus(Duration.ofDays(7)).toString();

    Cli.Result ready = cli.run("--remote", remote.uri(), "--now", soaked, "status");
    cli.run("--remote", remote.uri(), "--now", soaked, "promote");
    Cli.Result done = cli.run("--remote", remote.uri(), "--now", soaked, "status");

    assertThat(ready.out()).contains("promote    would go through now (as v1.0.0)");
    assertThat(done.out())
        .contains("promote    nothing to do: v1.0.0_pre is already promoted as v1.0.0")
        .contains("preprod is 0 commits ahead of master");
  }

  @Test
  void remoteAndJsonWorkBeforeAndAfterTheSubcommand() {
    String now = RELEASED.plusSeconds(5).toString();

    Cli.Result before = cli.run("--remote", remote.uri(), "--now", now, "--json", "status");
    Cli.Result after = cli.run("status", "--remote", remote.uri(), "--json", "--now", now);

    assertThat(before.code()).as(before.toString()).isZero();
    assertThat(after.code()).as(after.toString()).isZero();
    assertThat(after.out()).isEqualTo(before.out());
  }

  @Test
  void statusJsonShape() throws Exception {
    Cli.Result result =
        cli.run(
            "status",
            "--json",
            "--remote",
            remote.uri(),
            "--now",
            RELEASED.plusSeconds(60).toString());

    JsonNode json = Json.mapper().readTree(result.out());
    assertThat(json.get("remote").asText()).isEqualTo(remote.uri());
    assertThat(json.get("now").asText()).isEqualTo("2026-11-01T10:01:00Z");
    assertThat(json.get("channels")).hasSize(2);
    JsonNode preprod = json.get("channels").get(1);
    assertThat(preprod.get("channel").asText()).isEqualTo("preprod");
    assertThat(preprod.get("branch").asText()).isEqualTo("preprod");
    assertThat(preprod.get("tip").asText()).isEqualTo(released.name());
    assertThat(preprod.get("release").asText()).isEqualTo("v1.0.0_pre");
    assertThat(preprod.get("releasedAt").asText()).isEqualTo(RELEASED.toString());
    assertThat(json.get("channels").get(0).get("release").isNull()).isTrue();
    assertThat(json.get("preprodAhead").asInt()).isEqualTo(2);
    assertThat(json.get("preprodBehind").asInt()).isZero();
    assertThat(json.get("candidate").get("tag").asText()).isEqualTo("v1.0.0_pre");
    assertThat(json.get("candidate").get("stableTag").asText()).isEqualTo("v1.0.0");
    assertThat(json.get("candidate").get("taggedAt").asText()).isEqualTo(RELEASED.toString());
    assertThat(json.get("promote").asText()).isEqualTo("refused");
    JsonNode promotion = json.get("promotion");
    assertThat(promotion.get("allowed").asBoolean()).isFalse();
    assertThat(promotion.get("soakRequired").asText()).isEqualTo("PT168H");
    assertThat(promotion.get("soakServed").asText()).isEqualTo("PT1M");
    assertThat(promotion.get("soakRemaining").asText()).isEqualTo("PT167H59M");
    assertThat(promotion.get("failures").get(0).get("code").asText()).isEqualTo("soak-not-over");
  }

  @Test
  void aChannelsReleaseIsTheNewestTagReachableFromItsBranchNotTheNewestAnywhere() throws Exception {
    ObjectId v50 = remote.commit("master", "5.0", Map.of("app.txt", "5.0\n"));
    remote.tag("v5.0.0", v50, "release 5.0.0");
    remote.setBranch("elsewhere", v50);
    ObjectId v517 = remote.commit("elsewhere", "5.17", Map.of("app.txt", "5.17\n"));
    remote.tag("v5.17.0", v517, "a newer release that master does not have");
    ObjectId tip = remote.commit("master", "hotfix after 5.0", Map.of("fix.txt", "1\n"));
    String now = RELEASED.plusSeconds(60).toString();

    Cli.Result human = cli.run("--remote", remote.uri(), "--now", now, "status");
    Cli.Result json = cli.run("--remote", remote.uri(), "--now", now, "status", "--json");

    assertThat(human.code()).as(human.toString()).isZero();
    assertThat(human.out())
        .contains("stable     master     " + tip.abbreviate(8).name() + "  v5.0.0 +1 commit  ")
        .doesNotContain("v5.17.0");
    JsonNode stable = Json.mapper().readTree(json.out()).get("channels").get(0);
    assertThat(stable.get("release").asText()).isEqualTo("v5.0.0");
    assertThat(stable.get("commitsSinceRelease").asInt()).isEqualTo(1);
    assertThat(stable.get("track").asText()).isEqualTo("branch");
  }

  @Test
  void statusWithoutRemoteIsBadUsage() {
    Cli.Result result = cli.run("status");

    assertThat(result.code()).isEqualTo(2);
    assertThat(result.err()).contains("no remote given: use --remote URL");
  }

  @Test
  void unreachableRemoteFailsWithOneLineNamingIt() {
    String missing = tmp.resolve("missing.git").toUri().toString();

    Cli.Result result = cli.run("--remote", missing, "status");

    assertThat(result.code()).isEqualTo(1);
    assertThat(result.err().strip()).startsWith("channel-admin: remote " + missing);
    assertThat(result.err().strip().lines()).hasSize(1);
  }

  @Test
  void verboseAddsTheStackTrace() {
    String missing = tmp.resolve("missing.git").toUri().toString();

    Cli.Result result = cli.run("--remote", missing, "status", "--verbose");

    assertThat(result.code()).isEqualTo(1);
    assertThat(result.err()).contains("at dev.sluice.");
  }
}
