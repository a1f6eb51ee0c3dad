package dev.sluice.updater.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sluice.core.git.GitException;
import dev.sluice.core.testing.TestRemote;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.lib.NullProgressMonitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Only a fetch that could not reach the remote is "unreachable" (the node says offline). */
class FetchFailuresTest {

  private static final String MASTER = "refs/heads/master";

  @TempDir Path tmp;

  @Test
  void aPortWithNoListenerIsUnreachable() throws Exception {
    int port = GitDaemon.freePort();

    GitException git = fetchFailure("git://127.0.0.1:" + port + "/remote.git");
    GitException http = fetchFailure("http://127.0.0.1:" + port + "/remote.git");

    assertThat(git.kind()).as(git.getMessage()).isEqualTo(GitException.Kind.UNREACHABLE);
    assertThat(http.kind()).as(http.getMessage()).isEqualTo(GitException.Kind.UNREACHABLE);
  }

  @Test
  void anHttpServerAnswering503IsUnreachable() throws Exception {
    try (HttpGitServer server =
        HttpGitServer.serve(tmp, tmp.resolve("home"), HttpGitServer.Mode.UNAVAILABLE)) {
      GitException failure = fetchFailure(server.url("remote.git"));

      assertThat(failure.kind()).as(failure.getMessage()).isEqualTo(GitException.Kind.UNREACHABLE);
      assertThat(failure.getMessage()).contains("503");
    }
  }

  @Test
  void aDirectoryWithoutARepositoryIsAProtocolFailure() throws Exception {
    Path empty = Files.createDirectories(tmp.resolve("not-a-repo"));
    Files.writeString(empty.resolve("README"), "just files\n");

    GitException failure = fetchFailure(empty.toUri().toString());

    assertThat(failure.kind()).as(failure.getMessage()).isEqualTo(GitException.Kind.PROTOCOL);
    assertOneLine(failure);
  }

  @Test
  void anHttpServerAnsweringGarbageIsAProtocolFailure() throws Exception {
    try (HttpGitServer server =
        HttpGitServer.serve(tmp, tmp.resolve("home"), HttpGitServer.Mode.GARBAGE)) {
      GitException failure = fetchFailure(server.url("remote.git"));

      assertThat(failure.kind()).as(failure.getMessage()).isEqualTo(GitException.Kind.PROTOCOL);
      assertOneLine(failure);
    }
  }

  @Test
  void aGitDaemonWithoutThatRepositoryIsAProtocolFailure() throws Exception {
    assumeTrue(GitCli.available(), "git is not installed");
    Path served = Files.createDirectories(tmp.resolve("served"));
    try (GitDaemon daemon = GitDaemon.serve(served, tmp.resolve("home"))) {
      GitException failure = fetchFailure(daemon.url("missing.git"));

      assertThat(failure.kind()).as(failure.getMessage()).isEqualTo(GitException.Kind.PROTOCOL);
      assertOneLine(failure);
    }
  }

  @Test
  void aRefTheRemoteDoesNotHaveIsAMissingRef() {
    try (TestRemote remote = TestRemote.create(tmp)) {
      GitException failure =
          catchThrowableOfType(
              GitException.class,
              () -> {
                try (Workdir workdir = Workdir.open(tmp.resolve("node"), remote.uri())) {
                  workdir.fetch("refs/heads/no-such-branch", NullProgressMonitor.INSTANCE);
                }
              });

      assertThat(failure.kind()).as(failure.getMessage()).isEqualTo(GitException.Kind.MISSING_REF);
    }
  }

  private GitException fetchFailure(String url) {
    GitException failure =
        catchThrowableOfType(
            GitException.class,
            () -> {
              try (Workdir workdir = Workdir.open(tmp.resolve("node"), url)) {
                workdir.fetch(MASTER, NullProgressMonitor.INSTANCE);
              }
            });
    assertThat(failure).as("fetching from %s must fail", url).isNotNull();
    assertThat(failure.getMessage()).contains(MASTER);
    return failure;
  }

  private static void assertOneLine(GitException failure) {
    assertThat(failure.getMessage()).doesNotContain("\n").hasSizeLessThan(400);
  }
}
