package dev.sluice.updater.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.json.Json;
import dev.sluice.core.testing.HttpGitServer;
import dev.sluice.core.testing.SshGitServer;
import dev.sluice.core.testing.TestRemote;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code node-updater run} against private remotes served for real on 127.0.0.1: ssh with the
 * node's key and known_hosts, https with a token from a file or the environment. Nothing is read
 * from the real home directory: ssh gets a temporary {@code --ssh-dir}.
 */
class PrivateRemoteTest {

  static final String TOKEN = "tok-2f9c1e7a-private";

  @TempDir Path tmp;

  TestRemote remote;
  Path workdir;
  Path state;

  @BeforeEach
  void createRemote() {
    remote = TestRemote.create(tmp);
    workdir = tmp.resolve("workdir");
    state = tmp.resolve("state.db");
  }

  @AfterEach
  void closeRemote() {
    remote.close();
  }

  record Outcome(int code, String out, String err) {
    JsonNode json() {
      try {
        return Json.mapper().readTree(out);
      } catch (Exception e) {
        throw new AssertionError("not JSON: " + out + err, e);
      }
    }
  }

  Outcome run(Map<String, String> env, String url, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "run",
                "--workdir",
                workdir.toString(),
                "--remote",
                url,
                "--state",
                state.toString(),
                "--channel",
                "stable",
                "--json"));
    args.addAll(List.of(extra));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        NodeUpdaterMain.run(
            new PrintWriter(out), new PrintWriter(err), env, args.toArray(new String[0]));
    return new Outcome(code, out.toString(), err.toString());
  }

  String originUrl() throws Exception {
    try (var repo =
        new FileRepositoryBuilder().setGitDir(workdir.resolve(".git").toFile()).build()) {
      return repo.getConfig().getString("remote", "origin", "url");
    }
  }

  @Nested
  class OverSsh {

    SshGitServer server;
    Path sshDir;
    Path key;

    @BeforeEach
    void start() throws Exception {
      KeyPair nodeKey = SshGitServer.newKeyPair();
      sshDir = tmp.resolve("ssh");
      key = SshGitServer.writePrivateKey(nodeKey, sshDir.resolve("id_node"));
      server = SshGitServer.start(remote.repository(), nodeKey);
    }

    @AfterEach
    void stop() throws Exception {
      server.close();
    }

    Outcome runWith(String... knownHostsLines) throws Exception {
      Path knownHosts =
          SshGitServer.writeKnownHosts(sshDir.resolve("trusted_hosts"), knownHostsLines);
      return run(
          Map.of(),
          server.url(),
          "--ssh-dir",
          sshDir.toString(),
          "--ssh-key",
          key.toString(),
          "--known-hosts",
          knownHosts.toString());
    }

    @Test
    void aNodeInstallsAndUpdatesFromAnSshRemote() throws Exception {
      Outcome first = runWith(server.knownHostsLine());
      assertThat(first.code()).as(first.err()).isZero();
      assertThat(first.json().get("action").asText()).isEqualTo("updated");
      assertThat(first.json().get("currentCommit").asText()).isEqualTo(remote.tip("master").name());

      ObjectId next = remote.commit("master", "next", Map.of("app.txt", "version 1\n"));
      Outcome second = runWith(server.knownHostsLine());
      assertThat(second.code()).as(second.err()).isZero();
      assertThat(second.json().get("currentCommit").asText()).isEqualTo(next.name());
      assertThat(Files.readString(workdir.resolve("app.txt"))).isEqualTo("version 1\n");
      assertThat(originUrl()).isEqualTo(server.url());
    }

    @Test
    void aChangedHostKeyIsAConfigurationErrorNotOffline() throws Exception {
      Outcome outcome = runWith(server.knownHostsLine(SshGitServer.newKeyPair()));
      assertThat(outcome.code()).isEqualTo(2);
      JsonNode json = outcome.json();
      assertThat(json.get("action").asText()).isEqualTo("failed");
      assertThat(json.get("reason").get("code").asText()).isEqualTo("remote-access-denied");
      assertThat(json.get("message").asText())
          .contains("host key")
          .contains("trusted_hosts")
          .contains("strict host key checking");
      assertThat(workdir.resolve("app.txt")).doesNotExist();
    }

    @Test
    void aMissingKeyFileIsBadUsage() throws Exception {
      Path knownHosts =
          SshGitServer.writeKnownHosts(sshDir.resolve("trusted_hosts"), server.knownHostsLine());
      Path missing = sshDir.resolve("id_typo");
      Outcome outcome =
          run(
              Map.of(),
              server.url(),
              "--ssh-dir",
              sshDir.toString(),
              "--ssh-key",
              missing.toString(),
              "--known-hosts",
              knownHosts.toString());
      assertThat(outcome.code()).isEqualTo(2);
      assertThat(outcome.err())
          .isEqualTo("node-updater: --ssh-key " + missing + " does not exist\n");
    }

    @Test
    void anUnknownHostIsRefusedAndNotAddedToKnownHosts() throws Exception {
      Outcome outcome = runWith();
      assertThat(outcome.code()).isEqualTo(2);
      assertThat(outcome.json().get("reason").get("code").asText())
          .isEqualTo("remote-access-denied");
      assertThat(Files.readString(sshDir.resolve("trusted_hosts"))).isEmpty();
    }
  }

  @Nested
  class OverHttpsWithAToken {

    HttpGitServer server;

    @BeforeEach
    void start() throws Exception {
      server = HttpGitServer.withBasicAuth(remote.repository(), "x-access-token", TOKEN);
    }

    @AfterEach
    void stop() {
      server.close();
    }

    @Test
    void aTokenFileOpensAPrivateRemote() throws Exception {
      Path tokenFile = Files.writeString(tmp.resolve("git-token"), TOKEN + "\n");
      Outcome outcome = run(Map.of(), server.url(), "--git-token-file", tokenFile.toString());
      assertThat(outcome.code()).as(outcome.err()).isZero();
      assertThat(outcome.json().get("action").asText()).isEqualTo("updated");
      assertThat(originUrl()).isEqualTo(server.url());
    }

    @Test
    void theEnvironmentGivesTheTokenAndUserName() throws Exception {
      server.close();
      server = HttpGitServer.withBasicAuth(remote.repository(), "deploy-bot", TOKEN);
      Outcome outcome =
          run(Map.of("SLUICE_GIT_TOKEN", TOKEN, "SLUICE_GIT_USERNAME", "deploy-bot"), server.url());
      assertThat(outcome.code()).as(outcome.err()).isZero();
      assertThat(outcome.json().get("action").asText()).isEqualTo("updated");
    }

    @Test
    void aWrongTokenIsAnAuthenticationErrorNotOffline() {
      Outcome outcome = run(Map.of("SLUICE_GIT_TOKEN", "not-the-token"), server.url());
      assertThat(outcome.code()).isEqualTo(2);
      JsonNode json = outcome.json();
      assertThat(json.get("action").asText()).isEqualTo("failed");
      assertThat(json.get("reason").get("code").asText()).isEqualTo("remote-access-denied");
      assertThat(json.get("message").asText())
          .startsWith("remote " + server.url() + ": authentication failed");
    }

    @Test
    void noTokenSaysAuthenticationIsRequired() {
      Outcome outcome = run(Map.of(), server.url());
      assertThat(outcome.code()).isEqualTo(2);
      assertThat(outcome.json().get("message").asText())
          .contains("authentication required")
          .contains("SLUICE_GIT_TOKEN");
    }

    @Test
    void aMissingTokenFileIsBadUsage() {
      Path missing = tmp.resolve("no-such-token");
      Outcome outcome = run(Map.of(), server.url(), "--git-token-file", missing.toString());
      assertThat(outcome.code()).isEqualTo(2);
      assertThat(outcome.err())
          .isEqualTo("node-updater: git token file " + missing + " does not exist\n");
    }
  }
}
