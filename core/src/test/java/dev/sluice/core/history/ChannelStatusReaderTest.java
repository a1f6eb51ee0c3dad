package dev.sluice.core.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.git.GitException;
import dev.sluice.core.promotion.ChannelState;
import dev.sluice.core.promotion.Release;
import dev.sluice.core.testing.TestRemote;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.eclipse.jgit.lib.ObjectId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChannelStatusReaderTest {

  @TempDir Path tmp;

  private final ChannelStatusReader reader = ChannelStatusReader.withDefaultChannels();

  @Test
  void readsTipsReleasesCandidateAndDistance() {
    try (TestRemote remote = TestRemote.create(tmp)) {
      Instant released = Instant.parse("2026-03-01T12:00:00Z");
      ObjectId c1 = remote.commit("preprod", "one", Map.of("app.txt", "1\n"));
      ObjectId c2 = remote.commit("preprod", "two", Map.of("app.txt", "2\n"));
      remote.at(released).tag("v1.0.0_pre", c2, "release 1.0.0");
      remote.at(released.minusSeconds(500)).tag("v0.9.0_pre", c1, "older");
      remote.commit("preprod", "three", Map.of("app.txt", "3\n"));

      ChannelState state = reader.fetch(remote.uri(), tmp.resolve("cache"), null);

      assertThat(state.stable().tip()).isEqualTo(remote.tip("master").name());
      assertThat(state.preprod().tip()).isEqualTo(remote.tip("preprod").name());
      assertThat(state.candidate().tag()).isEqualTo("v1.0.0_pre");
      assertThat(state.candidate().commit()).isEqualTo(c2.name());
      assertThat(state.candidate().time()).isEqualTo(released);
      assertThat(state.candidate().annotated()).isTrue();
      assertThat(state.candidate().tagger()).isEqualTo("Sluice Test <test@sluice.invalid>");
      assertThat(state.candidate().message()).isEqualTo("release 1.0.0\n");
      assertThat(state.preprodAhead()).isEqualTo(3);
      assertThat(state.preprodBehind()).isZero();
      assertThat(state.masterIsAncestorOfCandidate()).isTrue();
      assertThat(state.candidatePromotion()).isNull();
      assertThat(state.alreadyPromoted()).isFalse();
      assertThat(state.stable().newestRelease()).isNull();
      assertThat(state.releases())
          .extracting(Release::tag)
          .containsExactly("v1.0.0_pre", "v0.9.0_pre");
    }
  }

  @Test
  void lightweightTagFallsBackToCommitTime() {
    try (TestRemote remote = TestRemote.create(tmp)) {
      Instant committed = Instant.parse("2026-04-01T00:00:00Z");
      ObjectId c1 = remote.at(committed).commit("preprod", "one", Map.of("app.txt", "1\n"));
      remote.lightweightTag("v2.0.0_pre", c1);

      ChannelState state = reader.fetch(remote.uri(), tmp.resolve("cache"), null);

      assertThat(state.candidate().time()).isEqualTo(committed);
      assertThat(state.candidate().annotated()).isFalse();
      assertThat(state.candidate().tagger()).isNull();
    }
  }

  @Test
  void candidateIsNewestByVersionAndPromotionIsItsStableTag() {
    try (TestRemote remote = TestRemote.create(tmp)) {
      ObjectId c1 = remote.commit("preprod", "one", Map.of("app.txt", "1\n"));
      ObjectId c2 = remote.commit("preprod", "two", Map.of("app.txt", "2\n"));
      remote.tag("v1.10.0_pre", c2, "newest by version");
      remote.tag("v1.9.0_pre", c1, "tagged later, older version");
      remote.setBranch("master", c2);
      remote.tag("v1.10.0", c2, "promoted");

      ChannelState state = reader.fetch(remote.uri(), tmp.resolve("cache"), null);

      assertThat(state.candidate().tag()).isEqualTo("v1.10.0_pre");
      assertThat(state.candidatePromotion().tag()).isEqualTo("v1.10.0");
      assertThat(state.alreadyPromoted()).isTrue();
      assertThat(state.stableTagTaken()).isFalse();
      assertThat(state.stable().newestRelease().tag()).isEqualTo("v1.10.0");
      assertThat(state.preprod().newestRelease().tag()).isEqualTo("v1.10.0_pre");
    }
  }

  @Test
  void masterWithOwnCommitsIsNotAnAncestorOfTheCandidate() {
    try (TestRemote remote = TestRemote.create(tmp)) {
      ObjectId c1 = remote.commit("preprod", "feature", Map.of("app.txt", "1\n"));
      remote.tag("v1.0.0_pre", c1, "release");
      remote.commit("master", "hotfix", Map.of("hotfix.txt", "x\n"));

      ChannelState state = reader.fetch(remote.uri(), tmp.resolve("cache"), null);

      assertThat(state.masterIsAncestorOfCandidate()).isFalse();
      assertThat(state.preprodAhead()).isEqualTo(1);
      assertThat(state.preprodBehind()).isEqualTo(1);
    }
  }

  @Test
  void refetchMirrorsMovedBranchesAndDeletedTags() {
    try (TestRemote remote = TestRemote.create(tmp)) {
      Path cache = tmp.resolve("cache");
      ObjectId c1 = remote.commit("preprod", "one", Map.of("app.txt", "1\n"));
      remote.tag("v1.0.0_pre", c1, "release");
      assertThat(reader.fetch(remote.uri(), cache, null).candidate()).isNotNull();

      remote.setBranch("preprod", remote.tip("master"));
      deleteTag(remote, "v1.0.0_pre");
      ChannelState again = reader.fetch(remote.uri(), cache, null);

      assertThat(again.candidate()).isNull();
      assertThat(again.preprod().tip()).isEqualTo(remote.tip("master").name());
      assertThat(again.preprodAhead()).isZero();
    }
  }

  @Test
  void unreachableRemoteIsNamed() {
    String missing = tmp.resolve("nowhere.git").toUri().toString();

    assertThatThrownBy(() -> reader.fetch(missing, tmp.resolve("cache"), null))
        .isInstanceOfSatisfying(
            GitException.class, e -> assertThat(e.kind()).isEqualTo(GitException.Kind.UNREACHABLE))
        .hasMessageContaining(missing);
  }

  @Test
  void cacheDirectoryThatIsNotARepositoryIsRefused() throws Exception {
    try (TestRemote remote = TestRemote.create(tmp)) {
      Path notACache = Files.createDirectories(tmp.resolve("docs"));
      Files.writeString(notACache.resolve("notes.txt"), "mine");

      assertThatThrownBy(() -> reader.fetch(remote.uri(), notACache, null))
          .isInstanceOf(GitException.class)
          .hasMessageContaining("not a git repository");
      assertThat(notACache.resolve("notes.txt")).hasContent("mine");
    }
  }

  private static void deleteTag(TestRemote remote, String tag) {
    try {
      var update = remote.repository().updateRef("refs/tags/" + tag);
      update.setForceUpdate(true);
      update.delete();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void aBranchsReleaseIsTheNewestTagItReachesNotTheNewestAnywhere() {
    try (TestRemote remote = TestRemote.create(tmp)) {
      ObjectId v50 = remote.commit("master", "5.0", Map.of("app.txt", "5.0\n"));
      remote.tag("v5.0.0", v50, "on master");
      remote.setBranch("elsewhere", v50);
      remote.tag("v5.17.0", remote.commit("elsewhere", "5.17", Map.of("a", "1\n")), "elsewhere");
      remote.commit("master", "after 5.0", Map.of("b", "1\n"));
      ObjectId tip = remote.commit("master", "after 5.0 again", Map.of("b", "2\n"));

      ChannelState state = reader.fetch(remote.uri(), tmp.resolve("cache"), null);

      assertThat(state.stable().tip()).isEqualTo(tip.name());
      assertThat(state.stable().newestRelease().tag()).isEqualTo("v5.0.0");
      assertThat(state.stable().commitsSinceRelease()).isEqualTo(2);
      assertThat(state.stable().releaseAtTip()).isFalse();
      assertThat(state.preprod().newestRelease()).isNull();
    }
  }
}
