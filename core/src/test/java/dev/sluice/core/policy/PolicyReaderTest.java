package dev.sluice.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sluice.core.channel.Channel;
import dev.sluice.core.git.GitException;
import dev.sluice.core.testing.TestRemote;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.eclipse.jgit.lib.ObjectId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyReaderTest {

  @TempDir Path tmp;
  private TestRemote remote;

  @BeforeEach
  void createRemote() {
    remote = TestRemote.create(tmp);
  }

  @AfterEach
  void closeRemote() {
    remote.close();
  }

  @Test
  void readsThePolicyAtACommitOfThePolicyBranch() {
    Policy paused =
        Policy.defaults()
            .withChannel(
                Channel.STABLE, ChannelPolicy.defaultFor(Channel.STABLE).pause("incident"));
    ObjectId commit =
        remote.commit(
            Policy.BRANCH, "pause stable", Map.of(Policy.FILE, PolicyWriter.write(paused)));

    assertThat(PolicyReader.read(remote.repository(), commit)).isEqualTo(paused);
    assertThat(PolicyReader.readRef(remote.repository(), "refs/heads/" + Policy.BRANCH))
        .contains(paused);
    assertThat(PolicyReader.text(remote.repository(), commit)).contains(PolicyWriter.write(paused));
  }

  @Test
  void noPolicyBranchMeansTheCallerUsesTheDefaults() {
    assertThat(PolicyReader.readRef(remote.repository(), "refs/heads/" + Policy.BRANCH)).isEmpty();
  }

  @Test
  void aBranchWithoutTheFileIsAValidationErrorNamingTheCommit() {
    ObjectId commit = remote.commit(Policy.BRANCH, "oops", Map.of("README", "nothing here\n"));

    assertThatThrownBy(() -> PolicyReader.read(remote.repository(), commit))
        .isInstanceOf(PolicyValidationException.class)
        .hasMessageContaining("channels.json at rollout-policy " + commit.abbreviate(10).name())
        .hasMessageContaining("the commit has no channels.json");
  }

  @Test
  void aFolderNamedLikeTheFileIsNotThePolicy() {
    ObjectId commit =
        remote.commit(Policy.BRANCH, "odd", Map.of(Policy.FILE + "/inner.json", "{}\n"));

    assertThatThrownBy(() -> PolicyReader.read(remote.repository(), commit))
        .isInstanceOf(PolicyValidationException.class)
        .hasMessageContaining("the commit has no channels.json");
  }

  @Test
  void anInvalidFileIsRejectedWithEveryErrorAndTheCommit() {
    ObjectId commit =
        remote.commit(
            Policy.BRANCH,
            "broken",
            Map.of(Policy.FILE, "{\"schema\": 1, \"maxAttempts\": 0, \"frozen\": \"x\"}"));

    PolicyValidationException e =
        catchThrowableOfType(
            PolicyValidationException.class,
            () -> PolicyReader.readRef(remote.repository(), "refs/heads/" + Policy.BRANCH));

    assertThat(e.source())
        .isEqualTo("channels.json at rollout-policy " + commit.abbreviate(10).name());
    assertThat(e.errors()).hasSize(2);
  }

  @Test
  void anOversizedFileIsRejectedWithoutReadingIt() {
    Map<String, String> huge = new HashMap<>();
    huge.put(Policy.FILE, "{\"schema\": 1}" + " ".repeat(PolicyReader.MAX_BYTES));
    ObjectId commit = remote.commit(Policy.BRANCH, "huge", huge);

    assertThatThrownBy(() -> PolicyReader.read(remote.repository(), commit))
        .isInstanceOf(PolicyValidationException.class)
        .hasMessageContaining("more than a policy file may hold");
  }

  @Test
  void anUnknownCommitIsAMissingRef() {
    ObjectId unknown = ObjectId.fromString("0123456789abcdef0123456789abcdef01234567");

    assertThatThrownBy(() -> PolicyReader.read(remote.repository(), unknown))
        .isInstanceOf(GitException.class)
        .satisfies(
            e -> assertThat(((GitException) e).kind()).isEqualTo(GitException.Kind.MISSING_REF));
  }
}
