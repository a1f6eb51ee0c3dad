package dev.sluice.admin.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.promotion.ReleaseRecord;
import dev.sluice.core.testing.TestRemote;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.revwalk.RevTag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReleaseCommandTest {

  private static final String NOW = "2026-11-20T10:00:00Z";

  @TempDir Path tmp;

  private TestRemote remote;
  private Cli cli;

  @BeforeEach
  void setUp() {
    remote = TestRemote.create(tmp);
    cli = new Cli(tmp);
  }

  @AfterEach
  void tearDown() {
    remote.close();
  }

  @Test
  void releaseMovesPreprodToDevelopmentAndTagsTheSoakStart() {
    ObjectId dev = remote.commit("development", "feature", Map.of("app.txt", "1\n"));

    Cli.Result result =
        cli.run("--remote", remote.uri(), "--now", NOW, "release", "1.0.0", "--message", "First");

    assertThat(result.code()).as(result.toString()).isZero();
    assertThat(result.out()).contains("released v1.0.0_pre").contains("soak started " + NOW);
    assertThat(remote.tip("preprod")).isEqualTo(dev);
    assertThat(remote.tagCommit("v1.0.0_pre")).isEqualTo(dev);
    RevTag tag = Remotes.annotatedTag(remote.repository(), "v1.0.0_pre");
    assertThat(tag.getTaggerIdent().getWhenAsInstant()).isEqualTo(Instant.parse(NOW));
    assertThat(tag.getTaggerIdent().getName()).isEqualTo("Olga Operator");
    assertThat(ReleaseRecord.parse(tag.getFullMessage()))
        .contains(new ReleaseRecord("1.0.0", "development", dev.name(), false, "First"));
    assertThat(remote.tip("master")).isNotEqualTo(dev);
  }

  @Test
  void releaseFromAnotherRefAndJsonOutput() {
    remote.setBranch("hotfix", remote.tip("master"));
    ObjectId hotfix = remote.commit("hotfix", "fix", Map.of("fix.txt", "1\n"));

    Cli.Result result =
        cli.run("release", "2.0.0", "--from", "hotfix", "--json", "--remote", remote.uri());

    assertThat(result.code()).as(result.toString()).isZero();
    assertThat(result.out())
        .contains("\"tag\" : \"v2.0.0_pre\"")
        .contains("\"commit\" : \"" + hotfix.name() + "\"")
        .contains("\"from\" : \"hotfix\"")
        .contains("\"forced\" : false");
    assertThat(remote.tip("preprod")).isEqualTo(hotfix);
  }

  @Test
  void releaseRefusesAVersionThatIsNotSemver() {
    Cli.Result result = cli.run("--remote", remote.uri(), "release", "v1.0");

    assertThat(result.code()).isEqualTo(2);
    assertThat(result.err()).contains("'v1.0' is not a semantic version");
    assertThat(Remotes.hasTag(remote.repository(), "v1.0_pre")).isFalse();
  }

  @Test
  void releaseRefusesAVersionWithoutAllThreeParts() {
    remote.commit("development", "feature", Map.of("app.txt", "1\n"));

    Cli.Result result = cli.run("--remote", remote.uri(), "release", "1.2");

    assertThat(result.code()).as(result.toString()).isEqualTo(2);
    assertThat(result.err())
        .contains("VERSION '1.2' is not a semantic version")
        .contains("write 1.2.0");
    assertThat(Remotes.hasTag(remote.repository(), "v1.2.0_pre")).isFalse();
  }

  @Test
  void releaseRefusesAnOverlongVersionAsBadUsageNotAsAPushRace() {
    remote.commit("development", "feature", Map.of("app.txt", "1\n"));
    String version = "1.0.0-" + "a".repeat(5000);

    Cli.Result result = cli.run("--remote", remote.uri(), "release", version);

    assertThat(result.code()).as(result.toString()).isEqualTo(2);
    assertThat(result.err().strip())
        .isEqualTo(
            "channel-admin: VERSION is 5006 characters long; a version has at most 64 (e.g. 5.2.0)");
    assertThat(remote.tip("preprod")).isEqualTo(remote.tip("master"));
  }

  @Test
  void releaseRefusesAnExistingTag() {
    remote.commit("development", "feature", Map.of("app.txt", "1\n"));
    remote.tag("v1.0.0_pre", remote.tip("master"), "made by hand");
    ObjectId preprodBefore = remote.tip("preprod");

    Cli.Result result = cli.run("--remote", remote.uri(), "release", "1.0.0");

    assertThat(result.code()).isEqualTo(3);
    assertThat(result.err()).contains("tag v1.0.0_pre already exists");
    assertThat(remote.tip("preprod")).isEqualTo(preprodBefore);
  }

  @Test
  void releaseRefusesAVersionNotNewerThanTheLastRelease() {
    ObjectId c1 = remote.commit("development", "feature", Map.of("app.txt", "1\n"));
    remote.setBranch("preprod", c1);
    remote.tag("v1.2.0_pre", c1, "release");
    remote.commit("development", "more", Map.of("app.txt", "2\n"));

    Cli.Result result = cli.run("--remote", remote.uri(), "release", "1.1.9");

    assertThat(result.code()).isEqualTo(3);
    assertThat(result.err()).contains("1.1.9 is not newer than the last release v1.2.0_pre");
    assertThat(remote.tip("preprod")).isEqualTo(c1);
  }

  @Test
  void releaseRefusesANonFastForwardAndListsEveryReason() {
    ObjectId onPreprod = remote.commit("preprod", "only on preprod", Map.of("p.txt", "p\n"));
    remote.tag("v1.0.0_pre", onPreprod, "release");
    remote.commit("development", "feature", Map.of("app.txt", "1\n"));

    Cli.Result result = cli.run("--remote", remote.uri(), "release", "1.0.0");

    assertThat(result.code()).isEqualTo(3);
    assertThat(result.err())
        .contains("release v1.0.0_pre refused")
        .contains("  - tag v1.0.0_pre already exists")
        .contains("  - 1.0.0 is not newer than the last release v1.0.0_pre")
        .contains("not a fast-forward; use --force");
    assertThat(remote.tip("preprod")).isEqualTo(onPreprod);
  }

  @Test
  void releaseWithForceMovesPreprodBackwardsOrSideways() {
    remote.commit("preprod", "only on preprod", Map.of("p.txt", "p\n"));
    ObjectId dev = remote.commit("development", "feature", Map.of("app.txt", "1\n"));

    Cli.Result refused = cli.run("--remote", remote.uri(), "release", "1.0.0");
    Cli.Result forced = cli.run("--remote", remote.uri(), "release", "1.0.0", "--force");

    assertThat(refused.code()).isEqualTo(3);
    assertThat(forced.code()).as(forced.toString()).isZero();
    assertThat(forced.out()).contains("forced");
    assertThat(remote.tip("preprod")).isEqualTo(dev);
    assertThat(
            ReleaseRecord.parse(
                    Remotes.annotatedTag(remote.repository(), "v1.0.0_pre").getFullMessage())
                .orElseThrow()
                .forced())
        .isTrue();
  }

  @Test
  void releaseFromAnUnknownRefIsBadUsage() {
    Cli.Result result = cli.run("--remote", remote.uri(), "release", "1.0.0", "--from", "nope");

    assertThat(result.code()).isEqualTo(2);
    assertThat(result.err()).contains("no branch, tag or commit 'nope' on " + remote.uri());
  }

  @Test
  void releaseWhenAnotherOperatorPushesFirstChangesNothing() {
    remote.commit("development", "feature", Map.of("app.txt", "1\n"));
    ObjectId[] theirs = new ObjectId[1];
    cli.withHook(
        changes ->
            theirs[0] =
                Remotes.pushFromAnotherClone(remote.uri(), tmp.resolve("other"), "preprod", "x"));

    Cli.Result result = cli.run("--remote", remote.uri(), "release", "1.0.0");

    assertThat(result.code()).as(result.toString()).isEqualTo(4);
    assertThat(result.err()).contains("rejected the push, nothing was changed");
    assertThat(remote.tip("preprod")).isEqualTo(theirs[0]);
    assertThat(Remotes.hasTag(remote.repository(), "v1.0.0_pre")).isFalse();
  }

  @Test
  void releaseWarnsWhenItDoesNotContainMaster() {
    remote.commit("master", "hotfix on master", Map.of("hot.txt", "h\n"));
    remote.commit("development", "feature", Map.of("app.txt", "1\n"));

    Cli.Result result = cli.run("--remote", remote.uri(), "release", "1.0.0");

    assertThat(result.code()).isZero();
    assertThat(result.err()).contains("warning: v1.0.0_pre does not contain master");
  }
}
