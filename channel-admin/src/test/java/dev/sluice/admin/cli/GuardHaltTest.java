package dev.sluice.admin.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.channel.Channel;
import dev.sluice.core.guard.GuardTrip;
import dev.sluice.core.guard.GuardVerdict;
import dev.sluice.core.json.Json;
import dev.sluice.core.policy.Policy;
import dev.sluice.core.policy.PolicyReader;
import dev.sluice.core.policy.PolicyWriter;
import dev.sluice.core.testing.TestRemote;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.revwalk.RevWalk;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A channel halted by its guard, as {@code status} shows it and {@code resume} clears it. */
class GuardHaltTest {

  private static final Instant TRIPPED = Instant.parse("2026-11-21T09:40:00Z");
  private static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");

  @TempDir Path tmp;
  private TestRemote remote;
  private Cli cli;
  private ObjectId release;

  @BeforeEach
  void haltedRemote() {
    remote = TestRemote.create(tmp);
    cli = new Cli(tmp);
    release = remote.commit("preprod", "5.2.0", Map.of("app.txt", "5.2.0\n"));
    remote.tag("v5.2.0_pre", release, "preprod release 5.2.0");
    GuardVerdict verdict =
        new GuardVerdict(
            GuardVerdict.State.TRIPPED,
            release.name(),
            20,
            20,
            TRIPPED.minusSeconds(7200),
            List.of(),
            "20 of 20 nodes (100.0%) failed v5.2.0_pre");
    GuardTrip trip = new GuardTrip(Channel.PREPROD, verdict, "v5.2.0_pre", TRIPPED);
    remote.commit(
        Policy.BRANCH,
        trip.message(Policy.defaults()),
        Map.of(Policy.FILE, PolicyWriter.write(trip.apply(Policy.defaults()))));
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

  private Policy remotePolicy() {
    return PolicyReader.read(remote.repository(), remote.tip(Policy.BRANCH));
  }

  @Test
  void statusShowsTheHaltWhyAndSinceWhen() throws IOException {
    Cli.Result status = run("status");
    assertThat(status.code()).as(status.toString()).isZero();
    assertThat(status.out())
        .contains(
            "halted     preprod by its guard (pause of "
                + release.abbreviate(10).name().substring(0, 7))
        .contains("since " + TRIPPED + ": guard: 20 of 20 nodes (100.0%) failed v5.2.0_pre")
        .contains("clear with: channel-admin resume preprod --reason TEXT");

    JsonNode json = Json.mapper().readTree(run("status", "--json").out());
    JsonNode preprod = json.get("channels").get(1);
    assertThat(preprod.get("halt").get("action").asText()).isEqualTo("pause");
    assertThat(preprod.get("halt").get("commit").asText()).isEqualTo(release.name());
    assertThat(preprod.get("halt").get("at").asText()).isEqualTo(TRIPPED.toString());
    assertThat(json.get("channels").get(0).get("halt").isNull()).isTrue();
  }

  @Test
  void resumeClearsTheHaltAndTheGuardCountsFromNow() throws IOException {
    Cli.Result resume = run("resume", "preprod", "--reason", "health endpoint was down, not 5.2.0");
    assertThat(resume.code()).as(resume.toString()).isZero();

    Policy policy = remotePolicy();
    assertThat(policy.channel(Channel.PREPROD).paused()).isFalse();
    assertThat(policy.channel(Channel.PREPROD).halt()).isNull();
    assertThat(policy.channel(Channel.PREPROD).guard().countFrom()).isEqualTo(NOW);
    try (RevWalk walk = new RevWalk(remote.repository())) {
      String message = walk.parseCommit(remote.tip(Policy.BRANCH)).getFullMessage();
      assertThat(message)
          .startsWith("resume preprod: health endpoint was down, not 5.2.0")
          .contains("Clears the guard's halt of " + TRIPPED + " (pause of " + release.name())
          .contains("counts reports from " + NOW + " on");
    }
    assertThat(run("status").out()).doesNotContain("halted");
  }
}
