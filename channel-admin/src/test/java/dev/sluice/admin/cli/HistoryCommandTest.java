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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryCommandTest {

  private static final Instant T0 = Instant.parse("2026-10-01T08:00:00Z");

  @TempDir Path tmp;

  @Test
  void historyReadsReleasesAndPromotionsBackNewestFirst() throws Exception {
    try (TestRemote remote = TestRemote.create(tmp)) {
      Cli cli = new Cli(tmp);
      ObjectId one = remote.commit("development", "one", Map.of("app.txt", "1\n"));
      run(cli, remote, T0, "release", "1.0.0", "--message", "first cut");
      run(cli, remote, T0.plus(Duration.ofDays(8)), "promote");
      ObjectId two = remote.commit("development", "two", Map.of("app.txt", "2\n"));
      run(cli, remote, T0.plus(Duration.ofDays(9)), "release", "1.1.0");
      run(
          cli,
          remote,
          T0.plus(Duration.ofDays(9)).plus(Duration.ofHours(4)),
          "promote",
          "--override-soak",
          "--reason",
          "outage fix");

      Cli.Result human = cli.run("--remote", remote.uri(), "history");
      Cli.Result json = cli.run("history", "--json", "--remote", remote.uri());

      assertThat(human.code()).as(human.toString()).isZero();
      assertThat(human.out().lines())
          .hasSize(4)
          .satisfiesExactly(
              l ->
                  assertThat(l)
                      .startsWith("2026-10-10T12:00:00Z  promotion  v1.1.0")
                      .contains("soak 4h of 7d")
                      .contains("override: outage fix")
                      .contains("by Olga Operator <olga@ops.invalid>"),
              l -> assertThat(l).startsWith("2026-10-10T08:00:00Z  release    v1.1.0_pre"),
              l -> assertThat(l).contains("promotion  v1.0.0").contains("soak 8d of 7d"),
              l ->
                  assertThat(l)
                      .startsWith("2026-10-01T08:00:00Z  release    v1.0.0_pre")
                      .contains("from development"));

      JsonNode entries = Json.mapper().readTree(json.out());
      assertThat(entries).hasSize(4);
      JsonNode promotion = entries.get(0);
      assertThat(promotion.get("kind").asText()).isEqualTo("promotion");
      assertThat(promotion.get("tag").asText()).isEqualTo("v1.1.0");
      assertThat(promotion.get("version").asText()).isEqualTo("1.1.0");
      assertThat(promotion.get("commit").asText()).isEqualTo(two.name());
      assertThat(promotion.get("candidate").asText()).isEqualTo("v1.1.0_pre");
      assertThat(promotion.get("soakServed").asText()).isEqualTo("PT4H");
      assertThat(promotion.get("soakRequired").asText()).isEqualTo("PT168H");
      assertThat(promotion.get("overrideReason").asText()).isEqualTo("outage fix");
      assertThat(promotion.get("gates").get(2).get("outcome").asText()).isEqualTo("overridden");
      assertThat(promotion.get("recorded").asBoolean()).isTrue();
      JsonNode firstRelease = entries.get(3);
      assertThat(firstRelease.get("kind").asText()).isEqualTo("release");
      assertThat(firstRelease.get("commit").asText()).isEqualTo(one.name());
      assertThat(firstRelease.get("note").asText()).isEqualTo("first cut");
      assertThat(firstRelease.get("from").asText()).isEqualTo("development");
      assertThat(firstRelease.has("soakServed")).isFalse();
    }
  }

  @Test
  void handMadeTagsAreListedAsNotRecorded() {
    try (TestRemote remote = TestRemote.create(tmp)) {
      ObjectId c = remote.at(T0).commit("preprod", "one", Map.of("app.txt", "1\n"));
      remote.lightweightTag("v0.1.0_pre", c);

      Cli.Result result = new Cli(tmp).run("--remote", remote.uri(), "history");

      assertThat(result.out()).contains("v0.1.0_pre").contains("(tag not made by channel-admin)");
    }
  }

  @Test
  void onlyChannelAdminsOwnPromotionTagsAreLabelledPromotions() throws Exception {
    try (TestRemote remote = TestRemote.create(tmp)) {
      ObjectId c = remote.at(T0).commit("master", "one", Map.of("app.txt", "1\n"));
      remote.tag("v5.17.0", c, "tagged by hand");
      Cli cli = new Cli(tmp);

      Cli.Result human = cli.run("--remote", remote.uri(), "history");
      Cli.Result json = cli.run("--remote", remote.uri(), "history", "--json");

      assertThat(human.out())
          .contains("tag        v5.17.0")
          .contains("(tag not made by channel-admin)")
          .doesNotContain("promotion");
      JsonNode entry = Json.mapper().readTree(json.out()).get(0);
      assertThat(entry.get("kind").asText()).isEqualTo("tag");
      assertThat(entry.get("channel").asText()).isEqualTo("stable");
      assertThat(entry.get("recorded").asBoolean()).isFalse();
    }
  }

  private static void run(Cli cli, TestRemote remote, Instant now, String... args) {
    String[] all = new String[args.length + 4];
    all[0] = "--remote";
    all[1] = remote.uri();
    all[2] = "--now";
    all[3] = now.toString();
    System.arraycopy(args, 0, all, 4, args.length);
    Cli.Result result = cli.run(all);
    assertThat(result.code()).as(result.toString()).isZero();
  }
}
