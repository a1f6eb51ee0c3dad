package dev.sluice.updater.trust;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.json.Json;
import dev.sluice.core.testing.TestKeys;
import dev.sluice.core.testing.TestRemote;
import dev.sluice.updater.cli.NodeUpdaterMain;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node with a trust file runs only what a trusted key signed, through a real remote: tags signed
 * by the real {@code git tag -s} with keys from {@code ssh-keygen} and {@code gpg}; unsigned,
 * wrongly signed, expired and revoked ones are held with reason {@code untrusted}, and an untrusted
 * rollout policy is ignored like an invalid one.
 */
class TrustedRunTest {

  private static final String NOW = "2026-11-20T10:00:00Z";

  @TempDir Path tmp;

  private TestRemote remote;
  private TestKeys keys;
  private Path workdir;
  private Path state;
  private Path releaseKey;
  private Path allowed;

  @BeforeEach
  void setUp() throws IOException {
    remote = TestRemote.create(tmp);
    keys = TestKeys.in(tmp);
    workdir = tmp.resolve("workdir");
    state = tmp.resolve("state.db");
    releaseKey = keys.sshKey("release");
    allowed =
        Files.writeString(
            tmp.resolve("allowed_signers"), "ops@example.org " + keys.sshPublic(releaseKey) + "\n");
  }

  @AfterEach
  void tearDown() {
    keys.close();
    remote.close();
  }

  record Outcome(int code, String out, String err) {
    JsonNode json() {
      try {
        return Json.mapper().readTree(out);
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + out + err, e);
      }
    }
  }

  private Outcome cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = NodeUpdaterMain.run(new PrintWriter(out), new PrintWriter(err), args);
    return new Outcome(code, out.toString(), err.toString());
  }

  private Outcome run(String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "run",
                "--workdir",
                workdir.toString(),
                "--remote",
                remote.uri(),
                "--state",
                state.toString(),
                "--channel",
                "stable",
                "--now",
                NOW,
                "--json"));
    args.addAll(List.of(extra));
    return cli(args.toArray(String[]::new));
  }

  /** A new commit on master, tagged {@code tag} by git with the key (null: an unsigned tag). */
  private ObjectId release(String tag, Path key, String date) {
    ObjectId commit = remote.commit("master", tag, Map.of("app.txt", tag + "\n"));
    List<String> args =
        new ArrayList<>(List.of("-c", "user.name=Ops", "-c", "user.email=ops@example.org"));
    if (key != null) {
      args.addAll(List.of("-c", "gpg.format=ssh", "-c", "user.signingKey=" + key, "tag", "-s"));
    } else {
      args.addAll(List.of("tag", "-a"));
    }
    args.addAll(List.of("-m", "release " + tag, tag, commit.name()));
    TestKeys.Result r =
        keys.gitResult(
            remote.dir(), Map.of("GIT_COMMITTER_DATE", date), args.toArray(String[]::new));
    assertThat(r.code()).as(r.err()).isZero();
    return commit;
  }

  private ObjectId head() throws IOException {
    try (var repo = new FileRepositoryBuilder().setWorkTree(workdir.toFile()).build()) {
      return repo.resolve("HEAD");
    }
  }

  @Test
  void signedReleaseIsInstalledAndAnUnsignedNextCommitIsHeldAsUntrusted() throws IOException {
    ObjectId signed = release("v1.0.0", releaseKey, "2026-11-01T00:00:00Z");

    Outcome first = run("--trust", allowed.toString());
    assertThat(first.code()).as(first.out() + first.err()).isZero();
    assertThat(first.json().get("action").asText()).isEqualTo("updated");
    assertThat(head()).isEqualTo(signed);

    Outcome again = run("--trust", allowed.toString());
    assertThat(again.json().get("action").asText()).isEqualTo("unchanged");

    ObjectId pushed =
        remote.commit(
            "master", "pushed by someone with a stolen token", Map.of("app.txt", "evil\n"));
    Outcome held = run("--trust", allowed.toString());

    assertThat(held.code()).isZero();
    JsonNode json = held.json();
    assertThat(json.get("action").asText()).isEqualTo("held");
    assertThat(json.get("reason").get("code").asText()).isEqualTo("untrusted");
    assertThat(json.get("message").asText())
        .contains(pushed.abbreviate(10).name())
        .contains("commit not signed")
        .contains("keeping " + signed.abbreviate(10).name());
    assertThat(head()).isEqualTo(signed);

    Outcome status = cli("status", "--state", state.toString());
    assertThat(status.out()).contains("[untrusted]").contains("not signed");

    // Without a trust file the same node takes it: trust is opt-in per node.
    assertThat(run().json().get("action").asText()).isEqualTo("updated");
    assertThat(head()).isEqualTo(pushed);
  }

  @Test
  void firstInstallOfAnUnsignedTagIsHeldWithNothingInstalled() {
    release("v1.0.0", null, "2026-11-01T00:00:00Z");

    Outcome held = run("--trust", allowed.toString());

    assertThat(held.code()).isZero();
    assertThat(held.json().get("reason").get("code").asText()).isEqualTo("untrusted");
    assertThat(held.json().get("message").asText())
        .contains("tag v1.0.0 not signed")
        .contains("nothing installed yet");
    assertThat(Files.exists(workdir.resolve("app.txt"))).isFalse();
  }

  @Test
  void wronglySignedTagIsHeldNamingTheSigner() {
    Path attacker = keys.sshKey("attacker");
    release("v1.0.0", attacker, "2026-11-01T00:00:00Z");
    String fingerprint =
        keys.run(tmp, List.of("ssh-keygen", "-l", "-f", attacker + ".pub")).out().split(" ")[1];

    Outcome held = run("--trust", allowed.toString());

    assertThat(held.json().get("reason").get("code").asText()).isEqualTo("untrusted");
    assertThat(held.json().get("message").asText()).contains("signed by " + fingerprint);
  }

  @Test
  void expiredAndRevokedKeysAreRefusedAndTheNextKeyIsTaken() throws IOException {
    Path next = keys.sshKey("next");
    Files.writeString(
        allowed,
        "ops@example.org valid-before=\"20261001\" "
            + keys.sshPublic(releaseKey)
            + "\nops@example.org valid-after=\"20260901\" "
            + keys.sshPublic(next)
            + "\n");
    release("v1.0.0", releaseKey, "2026-11-01T00:00:00Z");

    Outcome expired = run("--trust", allowed.toString());
    assertThat(expired.json().get("reason").get("code").asText()).isEqualTo("untrusted");
    assertThat(expired.json().get("message").asText()).contains("valid-after/valid-before");

    ObjectId rotated = release("v1.0.1", next, "2026-11-02T00:00:00Z");
    Path revoked = Files.writeString(tmp.resolve("revoked"), keys.sshPublic(next) + "\n");
    Outcome refused = run("--trust", allowed.toString(), "--trust-revoked", revoked.toString());
    assertThat(refused.json().get("reason").get("code").asText()).isEqualTo("untrusted");
    assertThat(refused.json().get("message").asText()).containsIgnoringCase("revoked");

    Outcome taken = run("--trust", allowed.toString());
    assertThat(taken.json().get("action").asText()).isEqualTo("updated");
    assertThat(head()).isEqualTo(rotated);
  }

  @Test
  void openPgpSignedTagIsInstalledWithAKeyring() throws IOException {
    String fingerprint = keys.gpgKey("Ops", "ops@example.org");
    ObjectId commit = remote.commit("master", "v1.0.0", Map.of("app.txt", "1\n"));
    keys.git(
        remote.dir(),
        "-c",
        "user.name=Ops",
        "-c",
        "user.email=ops@example.org",
        "-c",
        "user.signingKey=" + fingerprint,
        "tag",
        "-s",
        "-m",
        "release",
        "v1.0.0",
        commit.name());
    Path keyring = keys.gpgExport(tmp.resolve("trusted.gpg"), false, fingerprint);

    Outcome outcome = run("--trust", keyring.toString());

    assertThat(outcome.json().get("action").asText()).as(outcome.out()).isEqualTo("updated");
    assertThat(head()).isEqualTo(commit);
  }

  @Test
  void untrustedPolicyCommitIsIgnoredAndTheLastTrustedOneStays() {
    release("v1.0.0", releaseKey, "2026-11-01T00:00:00Z");
    Path clone = tmp.resolve("policy-work");
    remote.commit("rollout-policy", "open", Map.of("channels.json", "{\"schema\": 1}\n"));
    keys.git(tmp, "clone", "-q", "-b", "rollout-policy", remote.uri(), clone.toString());
    signedPolicyCommit(clone, "{\"schema\": 1, \"maxAttempts\": 4}\n", releaseKey);
    assertThat(run("--trust", allowed.toString()).json().get("action").asText())
        .isEqualTo("updated");

    // Someone with push rights pauses stable with an unsigned commit: the node ignores it.
    remote.commit(
        "rollout-policy",
        "pause",
        Map.of(
            "channels.json",
            "{\"schema\": 1, \"channels\": {\"stable\": {\"branch\": \"master\", \"tagPattern\":"
                + " \"v*\", \"track\": \"branch\", \"paused\": true, \"pauseReason\": \"x\"}}}\n"));
    ObjectId next = release("v1.0.1", releaseKey, "2026-11-02T00:00:00Z");
    Outcome outcome = run("--trust", allowed.toString());

    assertThat(outcome.json().get("action").asText()).as(outcome.out()).isEqualTo("updated");
    assertThat(outcome.json().get("warnings").toString())
        .contains("rollout policy at")
        .contains("untrusted: not signed");
    assertThat(outcome.json().get("target").get("commit").asText()).isEqualTo(next.name());
    // The same unsigned policy without a trust file pauses the channel.
    release("v1.0.2", releaseKey, "2026-11-03T00:00:00Z");
    assertThat(run().json().get("reason").get("code").asText()).isEqualTo("paused");
  }

  @Test
  void aPauseSignedWithAKeyForPolicyCommitsOnlyAppliesWithTrustPolicy() throws IOException {
    Path guardKey = keys.sshKey("guard");
    Path policySigners =
        Files.writeString(
            tmp.resolve("policy_signers"),
            "guard@sluice.invalid " + keys.sshPublic(guardKey) + "\n");
    release("v1.0.0", releaseKey, "2026-11-01T00:00:00Z");
    Path clone = tmp.resolve("policy-work");
    remote.commit("rollout-policy", "open", Map.of("channels.json", "{\"schema\": 1}\n"));
    keys.git(tmp, "clone", "-q", "-b", "rollout-policy", remote.uri(), clone.toString());
    signedPolicyCommit(clone, "{\"schema\": 1, \"maxAttempts\": 4}\n", releaseKey);
    assertThat(run("--trust", allowed.toString()).json().get("action").asText())
        .isEqualTo("updated");

    // fleet-web's guard pauses stable, signing with its own key.
    signedPolicyCommit(
        clone,
        "{\"schema\": 1, \"channels\": {\"stable\": {\"branch\": \"master\", \"tagPattern\":"
            + " \"v*\", \"track\": \"branch\", \"paused\": true, \"pauseReason\": \"guard\"}}}\n",
        guardKey,
        "guard@sluice.invalid");
    // A node without the policy keys ignores the guard's commit as untrusted.
    ObjectId next = release("v1.0.1", releaseKey, "2026-11-02T00:00:00Z");
    Outcome without = run("--trust", allowed.toString());
    assertThat(without.json().get("action").asText()).as(without.out()).isEqualTo("updated");
    assertThat(without.json().get("target").get("commit").asText()).isEqualTo(next.name());
    assertThat(without.json().get("warnings").toString()).contains("untrusted");
    // Given them, it applies the pause.
    release("v1.0.2", releaseKey, "2026-11-03T00:00:00Z");
    Outcome withPolicyKeys =
        run("--trust", allowed.toString(), "--trust-policy", policySigners.toString());

    assertThat(withPolicyKeys.json().get("action").asText())
        .as(withPolicyKeys.out())
        .isEqualTo("held");
    assertThat(withPolicyKeys.json().get("reason").get("code").asText()).isEqualTo("paused");
    assertThat(head()).isEqualTo(next);
    // The guard's key is taken out of the trust again (it leaked, say): its pause, cached as the
    // last trusted policy, must not stay in force.
    Outcome revoked = run("--trust", allowed.toString());
    assertThat(revoked.json().get("action").asText()).as(revoked.out()).isEqualTo("updated");
    assertThat(revoked.json().get("warnings").toString())
        .contains("cached rollout policy from")
        .contains("no longer trusted");
    assertThat(revoked.json().get("target").get("commit").asText())
        .isEqualTo(remote.tip("master").name());
    // --trust-policy alone is bad usage: it only adds keys to a trust file.
    Outcome alone = run("--trust-policy", policySigners.toString());
    assertThat(alone.code()).isEqualTo(2);
    assertThat(alone.err() + alone.out()).contains("--trust-policy needs --trust");
  }

  private void signedPolicyCommit(Path clone, String json, Path key) {
    signedPolicyCommit(clone, json, key, "ops@example.org");
  }

  private void signedPolicyCommit(Path clone, String json, Path key, String email) {
    try {
      Files.writeString(clone.resolve("channels.json"), json);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    keys.git(
        clone,
        "-c",
        "user.name=Ops",
        "-c",
        "user.email=" + email,
        "-c",
        "gpg.format=ssh",
        "-c",
        "user.signingKey=" + key,
        "commit",
        "-q",
        "-S",
        "-am",
        "signed policy");
    keys.git(clone, "push", "-q", "origin", "rollout-policy");
  }

  @Test
  void aTrustFileThatCannotBeReadIsBadUsage() {
    Outcome outcome = run("--trust", tmp.resolve("missing").toString());
    assertThat(outcome.code()).isEqualTo(2);
    assertThat(outcome.err() + outcome.out()).contains("trust file").contains("does not exist");
  }
}
