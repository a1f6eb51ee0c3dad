package dev.sluice.core.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.channel.Channel;
import dev.sluice.core.channel.ChannelSpec;
import dev.sluice.core.channel.Track;
import dev.sluice.core.testing.TestRemote;
import java.nio.file.Path;
import java.util.Map;
import org.eclipse.jgit.lib.ObjectId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChannelTargetTest {

  @TempDir Path tmp;

  @Test
  void branchTrackingResolvesTipAndItsReleaseTag() {
    try (TestRemote remote = TestRemote.create(tmp)) {
      ObjectId c1 = remote.commit("preprod", "feature", Map.of("app.txt", "v1\n"));
      remote.tag("v1.0.0_pre", c1, "release");
      RemoteRefs refs = RemoteRefs.list(remote.uri());

      ChannelTarget target =
          ChannelTarget.resolve(Channel.PREPROD, ChannelSpec.defaultFor(Channel.PREPROD), refs);

      assertThat(target.ref()).isEqualTo("refs/heads/preprod");
      assertThat(target.commit()).isEqualTo(c1);
      assertThat(target.releaseTag())
          .hasValueSatisfying(t -> assertThat(t.name()).isEqualTo("v1.0.0_pre"));
    }
  }

  @Test
  void tagTrackingPicksNewestSemverNotNewestName() {
    try (TestRemote remote = TestRemote.create(tmp)) {
      ObjectId c9 = remote.commit("master", "nine", Map.of("app.txt", "9\n"));
      remote.tag("v1.9.0", c9, "r");
      ObjectId c10 = remote.commit("master", "ten", Map.of("app.txt", "10\n"));
      remote.tag("v1.10.0", c10, "r");
      remote.lightweightTag("v1.10.1_pre", c10);
      remote.commit("master", "untagged", Map.of("app.txt", "11\n"));
      RemoteRefs refs = RemoteRefs.list(remote.uri());

      ChannelTarget target =
          ChannelTarget.resolve(
              Channel.STABLE, ChannelSpec.defaultFor(Channel.STABLE).withTrack(Track.TAG), refs);

      assertThat(target.ref()).isEqualTo("refs/tags/v1.10.0");
      assertThat(target.commit()).isEqualTo(c10);
    }
  }

  @Test
  void missingBranchNamesBranchAndRemote() {
    try (TestRemote remote = TestRemote.create(tmp)) {
      remote.deleteBranch("preprod");
      RemoteRefs refs = RemoteRefs.list(remote.uri());
      assertThatThrownBy(
              () ->
                  ChannelTarget.resolve(
                      Channel.PREPROD, ChannelSpec.defaultFor(Channel.PREPROD), refs))
          .isInstanceOf(GitException.class)
          .hasMessageContaining("no branch 'preprod'")
          .hasMessageContaining(remote.uri());
    }
  }

  @Test
  void unreachableRemoteIsReportedAsSuch() {
    String missing = tmp.resolve("nowhere.git").toUri().toString();
    assertThatThrownBy(() -> RemoteRefs.list(missing))
        .isInstanceOfSatisfying(
            GitException.class, e -> assertThat(e.kind()).isEqualTo(GitException.Kind.UNREACHABLE))
        .hasMessageContaining(missing);
  }
}
