package dev.sluice.core.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.testing.HttpGitServer;
import dev.sluice.core.testing.SshGitServer;
import dev.sluice.core.testing.TestRemote;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RemoteAccessTest {

  static final String TOKEN = "s3cr3t-token-4711";

  @TempDir Path tmp;

  RemoteAccess.Ssh ssh() {
    Path home = tmp.resolve("home");
    return RemoteAccess.Ssh.of(home);
  }

  RemoteAccess access(String url, Path tokenFile, Map<String, String> env) {
    return RemoteAccess.configure(url, tokenFile, env, ssh());
  }

  @Test
  void aPasswordInAnHttpsUrlMovesIntoTheCredentials() {
    RemoteAccess access = access("https://user:" + TOKEN + "@host/repo.git", null, Map.of());
    assertThat(access.url()).isEqualTo("https://host/repo.git");
    assertThat(access.credentials()).get().extracting(c -> c.username()).isEqualTo("user");
    assertThat(access.credentials()).get().extracting(c -> c.secret()).isEqualTo(TOKEN);
    assertThat(access.toString()).doesNotContain(TOKEN);
    assertThat(access.credentials().get().toString()).doesNotContain(TOKEN);
  }

  @Test
  void aTokenGivenAsUserNameMovesIntoTheCredentials() {
    RemoteAccess access = access("https://" + TOKEN + "@host:8443/org/repo.git", null, Map.of());
    assertThat(access.url()).isEqualTo("https://host:8443/org/repo.git");
    assertThat(access.credentials().get().username()).isEqualTo(TOKEN);
    assertThat(access.toString()).isEqualTo("https://host:8443/org/repo.git (with credentials)");
    assertThat(access.credentials().get().toString()).doesNotContain(TOKEN);
  }

  @Test
  void aTokenFileWinsOverTheEnvironmentAndTheUrl() throws Exception {
    Path file = Files.writeString(tmp.resolve("token"), TOKEN + "\n", StandardCharsets.UTF_8);
    RemoteAccess access =
        access(
            "https://old:stale@host/repo.git",
            file,
            Map.of(RemoteAccess.TOKEN_VARIABLE, "from-env"));
    assertThat(access.url()).isEqualTo("https://host/repo.git");
    assertThat(access.credentials().get().secret()).isEqualTo(TOKEN);
    assertThat(access.credentials().get().username()).isEqualTo(RemoteAccess.DEFAULT_USERNAME);
  }

  @Test
  void theEnvironmentGivesTokenAndUserName() {
    RemoteAccess access =
        access(
            "https://host/repo.git",
            null,
            Map.of(
                RemoteAccess.TOKEN_VARIABLE, TOKEN, RemoteAccess.USERNAME_VARIABLE, "deploy-bot"));
    assertThat(access.credentials().get().username()).isEqualTo("deploy-bot");
    assertThat(access.credentials().get().secret()).isEqualTo(TOKEN);
  }

  @Test
  void aTokenIsNeverOfferedToAnSshServer() {
    RemoteAccess access =
        access("ssh://git@host/repo.git", null, Map.of(RemoteAccess.TOKEN_VARIABLE, TOKEN));
    assertThat(access.url()).isEqualTo("ssh://git@host/repo.git");
    assertThat(access.credentials()).isEmpty();
  }

  @Test
  void sshAndFileUrlsWithoutSecretsStayAsGiven() {
    for (String url :
        new String[] {"ssh://git@host:2222/repo.git", "git@host:org/repo.git", tmp.toUri() + ""}) {
      RemoteAccess access = access(url, null, Map.of());
      assertThat(access.url()).isEqualTo(url);
      assertThat(access.credentials()).isEmpty();
    }
  }

  @Test
  void aPasswordInAnSshUrlIsMovedOutButTheUserStays() {
    RemoteAccess access = access("ssh://deploy:" + TOKEN + "@host/repo.git", null, Map.of());
    assertThat(access.url()).isEqualTo("ssh://deploy@host/repo.git");
    assertThat(access.credentials().get().secret()).isEqualTo(TOKEN);
  }

  @Test
  void anEmptyOrMissingTokenFileIsAClearError() throws Exception {
    Path empty = Files.writeString(tmp.resolve("empty"), "\n");
    assertThatThrownBy(() -> access("https://host/r.git", empty, Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("git token file " + empty + " is empty");
    Path missing = tmp.resolve("missing");
    assertThatThrownBy(() -> access("https://host/r.git", missing, Map.of()))
        .hasMessage("git token file " + missing + " does not exist");
  }

  @Test
  void aUrlThatIsNotOneIsRefusedWithoutRepeatingItsSecret() {
    assertThatThrownBy(
            () -> access("https://u:" + TOKEN + "@127.0.0.1:notaport/repo.git", null, Map.of()))
        .isInstanceOfSatisfying(
            GitException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(GitException.Kind.INVALID_REMOTE);
              assertThat(e.getMessage())
                  .isEqualTo("remote 'https://***@127.0.0.1:notaport/repo.git' is not a git URL");
            });
  }

  /** A private repository behind HTTP basic auth, the way GitHub or Gitea serve one. */
  @Nested
  class OverHttpWithBasicAuth {

    TestRemote remote;
    HttpGitServer server;

    @BeforeEach
    void start() throws Exception {
      remote = TestRemote.create(tmp);
      server = HttpGitServer.withBasicAuth(remote.repository(), "x-access-token", TOKEN);
    }

    @AfterEach
    void stop() {
      server.close();
      remote.close();
    }

    @Test
    void theRightTokenListsTheRemote() throws Exception {
      Path file = Files.writeString(tmp.resolve("token"), TOKEN);
      RemoteRefs refs = RemoteRefs.list(access(server.url(), file, Map.of()));
      assertThat(refs.branch("master"))
          .get()
          .extracting(RemoteRef::commitId)
          .isEqualTo(remote.tip("master"));
    }

    @Test
    void aTokenInTheUrlListsTheRemoteAndStaysOutOfTheRefs() {
      String withToken = server.url().replace("http://", "http://x-access-token:" + TOKEN + "@");
      RemoteRefs refs = RemoteRefs.list(withToken);
      assertThat(refs.branch("master")).isPresent();
      assertThat(refs.remote()).isEqualTo(server.url()).doesNotContain(TOKEN);
    }

    @Test
    void aWrongTokenIsAnAuthenticationFailureNotOffline() {
      RemoteAccess access =
          access(server.url(), null, Map.of(RemoteAccess.TOKEN_VARIABLE, "wrong-" + TOKEN));
      assertThatThrownBy(() -> RemoteRefs.list(access))
          .isInstanceOfSatisfying(
              GitException.class,
              e -> {
                assertThat(e.kind()).isEqualTo(GitException.Kind.ACCESS_DENIED);
                assertThat(e.getMessage())
                    .startsWith("remote " + server.url() + ": authentication failed")
                    .doesNotContain(TOKEN);
              });
      assertThat(server.refusals()).isPositive();
    }

    @Test
    void noTokenIsAnAuthenticationFailureThatSaysHowToGiveOne() {
      assertThatThrownBy(() -> RemoteRefs.list(access(server.url(), null, Map.of())))
          .isInstanceOfSatisfying(
              GitException.class,
              e -> {
                assertThat(e.kind()).isEqualTo(GitException.Kind.ACCESS_DENIED);
                assertThat(e.getMessage())
                    .contains("authentication required")
                    .contains(RemoteAccess.TOKEN_VARIABLE);
              });
    }

    @Test
    void aServerThatIsGoneIsStillUnreachable() {
      String url = server.url();
      server.close();
      assertThatThrownBy(
              () -> RemoteRefs.list(access(url, null, Map.of(RemoteAccess.TOKEN_VARIABLE, TOKEN))))
          .isInstanceOfSatisfying(
              GitException.class,
              e -> assertThat(e.kind()).isEqualTo(GitException.Kind.UNREACHABLE));
    }
  }

  /** A real ssh server in this JVM; nothing is read from or written to the real ~/.ssh. */
  @Nested
  class OverSsh {

    TestRemote remote;
    SshGitServer server;
    KeyPair clientKey;
    Path key;
    Path home;

    @BeforeEach
    void start() throws Exception {
      remote = TestRemote.create(tmp);
      clientKey = SshGitServer.newKeyPair();
      home = tmp.resolve("home");
      key = SshGitServer.writePrivateKey(clientKey, tmp.resolve("keys/id_node"));
      server = SshGitServer.start(remote.repository(), clientKey);
    }

    @AfterEach
    void stop() throws Exception {
      server.close();
      remote.close();
    }

    RemoteAccess withKnownHosts(String... lines) throws Exception {
      Path knownHosts = SshGitServer.writeKnownHosts(tmp.resolve("keys/known_hosts"), lines);
      return RemoteAccess.configure(
          server.url(),
          null,
          Map.of(),
          new RemoteAccess.Ssh(home, home.resolve(".ssh"), List.of(key), List.of(knownHosts)));
    }

    @Test
    void theNodesKeyAndKnownHostsListTheRemote() throws Exception {
      RemoteRefs refs = RemoteRefs.list(withKnownHosts(server.knownHostsLine()));
      assertThat(refs.branch("preprod"))
          .get()
          .extracting(RemoteRef::commitId)
          .isEqualTo(remote.tip("preprod"));
      assertThat(home).doesNotExist();
    }

    @Test
    void aChangedHostKeyIsRefusedAsAConfigurationError() throws Exception {
      RemoteAccess access = withKnownHosts(server.knownHostsLine(SshGitServer.newKeyPair()));
      assertThatThrownBy(() -> RemoteRefs.list(access))
          .isInstanceOfSatisfying(
              GitException.class,
              e -> {
                assertThat(e.kind()).isEqualTo(GitException.Kind.ACCESS_DENIED);
                assertThat(e.getMessage()).contains("host key").contains("known_hosts");
              });
    }

    @Test
    void anUnknownHostIsRefusedAndNotLearned() throws Exception {
      RemoteAccess access = withKnownHosts("# nothing trusted yet");
      assertThatThrownBy(() -> RemoteRefs.list(access))
          .isInstanceOfSatisfying(
              GitException.class,
              e -> assertThat(e.kind()).isEqualTo(GitException.Kind.ACCESS_DENIED));
      assertThat(Files.readString(tmp.resolve("keys/known_hosts")))
          .isEqualTo("# nothing trusted yet\n");
    }

    @Test
    void aKeyTheServerDoesNotKnowIsAnAuthenticationFailure() throws Exception {
      SshGitServer.writePrivateKey(SshGitServer.newKeyPair(), key);
      RemoteAccess access = withKnownHosts(server.knownHostsLine());
      assertThatThrownBy(() -> RemoteRefs.list(access))
          .isInstanceOfSatisfying(
              GitException.class,
              e -> {
                assertThat(e.kind()).isEqualTo(GitException.Kind.ACCESS_DENIED);
                assertThat(e.getMessage()).contains("ssh authentication failed");
              });
    }
  }
}
