package dev.sluice.admin.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.promotion.HealthThresholds;
import dev.sluice.core.promotion.PromotionRules;
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

/** The rollout policy's say (soak default, stable pause) reaches the gates through one seam. */
class PromotePolicyTest {

  private static final Instant RELEASED = Instant.parse("2026-11-01T10:00:00Z");

  @TempDir Path tmp;

  private TestRemote remote;
  private Cli cli;

  @BeforeEach
  void setUp() {
    remote = TestRemote.create(tmp);
    cli = new Cli(tmp);
    remote.commit("development", "feature", Map.of("app.txt", "1\n"));
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
  void pausedStableChannelRefusesEvenAfterTheSoak() {
    cli.withPolicy(cache -> new PromotionRules(Duration.ofDays(7), true, HealthThresholds.DEFAULT));
    ObjectId masterBefore = remote.tip("master");
    String soaked = RELEASED.plus(Duration.ofDays(30)).toString();

    Cli.Result promote = cli.run("--remote", remote.uri(), "--now", soaked, "promote");
    Cli.Result status = cli.run("--remote", remote.uri(), "--now", soaked, "status");

    assertThat(promote.code()).isEqualTo(3);
    assertThat(promote.err()).contains("  - stable-paused: the stable channel is paused");
    assertThat(status.out()).contains("  - stable-paused: ");
    assertThat(remote.tip("master")).isEqualTo(masterBefore);
  }

  @Test
  void policySoakIsTheDefaultAndSoakOptionOverridesIt() {
    cli.withPolicy(
        cache -> new PromotionRules(Duration.ofDays(2), false, HealthThresholds.DEFAULT));
    String afterOneDay = RELEASED.plus(Duration.ofDays(1)).toString();

    Cli.Result underPolicy =
        cli.run("--remote", remote.uri(), "--now", afterOneDay, "promote", "--dry-run");
    Cli.Result withOption =
        cli.run(
            "--remote",
            remote.uri(),
            "--now",
            afterOneDay,
            "promote",
            "--dry-run",
            "--soak",
            "P1D");

    assertThat(underPolicy.code()).isEqualTo(3);
    assertThat(underPolicy.err()).contains("has soaked 1d of 2d");
    assertThat(withOption.code()).as(withOption.toString()).isZero();
    assertThat(withOption.out()).contains("soak served 1d of 1d");
  }
}
