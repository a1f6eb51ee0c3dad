package dev.sluice.admin.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.testing.TestKeys;
import dev.sluice.core.testing.TestRemote;
import dev.sluice.core.trust.ReleaseTrust;
import dev.sluice.core.trust.TrustFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.lib.ObjectId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * channel-admin signs its release, promotion and rollback tags and its policy commits with the
 * operator's SSH or OpenPGP key, and the real {@code git verify-tag}/{@code verify-commit} accept
 * them given the same allowed signers or keyring.
 */
class SigningTest {

  private static final String NOW = "2026-11-20T10:00:00Z";

  @TempDir Path tmp;

  private TestRemote remote;
  private TestKeys keys;
  private Cli cli;

  @BeforeEach
  void setUp() {
    remote = TestRemote.create(tmp);
    keys = TestKeys.in(tmp);
    cli = new Cli(tmp);
    Map<String, String> env = new HashMap<>(keys.env());
    env.putAll(Cli.OPERATOR_ENV);
    cli.withEnv(env);
    remote.commit("development", "feature", Map.of("app.txt", "1\n"));
  }

  @AfterEach
  void tearDown() {
    keys.close();
    remote.close();
  }

  private boolean gitVerifies(String what, String name, String... config) {
    java.util.List<String> args = new java.util.ArrayList<>(List.of(config));
    args.add(what);
    args.add(name);
    TestKeys.Result r = keys.gitResult(remote.dir(), Map.of(), args.toArray(String[]::new));
    return r.code() == 0;
  }

  @Test
  void releasePromoteAndPolicyCommitsAreSignedWithTheSshKeyAndGitVerifiesThem() throws IOException {
    Path key = keys.sshKey("release");
    Path allowed =
        Files.writeString(
            tmp.resolve("allowed_signers"), "olga@ops.invalid " + keys.sshPublic(key) + "\n");

    Cli.Result release =
        cli.run(
            "--remote",
            remote.uri(),
            "--now",
            NOW,
            "--sign-key",
            key.toString(),
            "release",
            "1.0.0");
    assertThat(release.code()).as(release.toString()).isZero();
    assertThat(release.err()).doesNotContain("unsigned");
    Cli.Result pause =
        cli.run(
            "--remote",
            remote.uri(),
            "--sign-key",
            key + ".pub",
            "pause",
            "stable",
            "--reason",
            "test");
    assertThat(pause.code()).as(pause.toString()).isZero();
    Cli.Result resume =
        cli.run(
            "--remote",
            remote.uri(),
            "--sign-key",
            key.toString(),
            "resume",
            "stable",
            "--reason",
            "ok");
    assertThat(resume.code()).as(resume.toString()).isZero();
    Cli.Result promote =
        cli.run(
            "--remote",
            remote.uri(),
            "--now",
            "2026-11-28T10:00:00Z",
            "--sign-key",
            key.toString(),
            "promote");
    assertThat(promote.code()).as(promote.toString()).isZero();

    String allowedConfig = "gpg.ssh.allowedSignersFile=" + allowed;
    assertThat(gitVerifies("verify-tag", "v1.0.0_pre", "-c", allowedConfig)).isTrue();
    assertThat(gitVerifies("verify-tag", "v1.0.0", "-c", allowedConfig)).isTrue();
    assertThat(gitVerifies("verify-commit", "rollout-policy", "-c", allowedConfig)).isTrue();
    assertThat(gitVerifies("verify-commit", "rollout-policy~1", "-c", allowedConfig)).isTrue();

    TrustFile trust = TrustFile.load(allowed, null);
    ObjectId commit = remote.repository().resolve("refs/heads/master");
    ReleaseTrust.Decision decision =
        ReleaseTrust.check(
            trust,
            remote.repository(),
            commit,
            Map.of("v1.0.0", remote.repository().exactRef("refs/tags/v1.0.0").getObjectId()));
    assertThat(decision.trusted()).as(decision.summary()).isTrue();
  }

  @Test
  void rollbackTagIsSignedFromGitConfigSigningKeyAndFormat() throws IOException {
    Path key = keys.sshKey("release");
    Files.createDirectories(cli.home());
    Files.writeString(
        cli.home().resolve(".gitconfig"),
        "[gpg]\n\tformat = ssh\n[user]\n\tsigningKey = ~/../keys/release\n");
    Path allowed =
        Files.writeString(
            tmp.resolve("allowed_signers"), "olga@ops.invalid " + keys.sshPublic(key) + "\n");
    cli.withEnv(
        new HashMap<>(
            Map.of(
                "GIT_COMMITTER_NAME",
                "Olga Operator",
                "GIT_COMMITTER_EMAIL",
                "olga@ops.invalid",
                "PATH",
                System.getenv().getOrDefault("PATH", "/usr/bin:/bin"))));
    assertThat(cli.run("--remote", remote.uri(), "--now", NOW, "release", "1.0.0").code()).isZero();
    remote.commit("development", "second", Map.of("app.txt", "2\n"));
    assertThat(cli.run("--remote", remote.uri(), "--now", NOW, "release", "1.1.0").code()).isZero();

    Cli.Result rollback =
        cli.run(
            "--remote", remote.uri(), "--now", NOW, "rollback", "preprod", "--reason", "broken");

    assertThat(rollback.code()).as(rollback.toString()).isZero();
    List<String> tags =
        keys.git(remote.dir(), "tag", "--list")
            .lines()
            .filter(t -> t.contains("rollback"))
            .toList();
    assertThat(tags).hasSize(1);
    String allowedConfig = "gpg.ssh.allowedSignersFile=" + allowed;
    assertThat(gitVerifies("verify-tag", tags.get(0), "-c", allowedConfig)).isTrue();
    assertThat(gitVerifies("verify-commit", "rollout-policy", "-c", allowedConfig)).isTrue();
  }

  @Test
  void openPgpSigningUsesGpgAndGitVerifiesWithTheKeyring() throws IOException {
    String fingerprint = keys.gpgKey("Olga Operator", "olga@ops.invalid");

    Cli.Result release =
        cli.run(
            "--remote", remote.uri(), "--now", NOW, "--sign-key", fingerprint, "release", "1.0.0");

    assertThat(release.code()).as(release.toString()).isZero();
    assertThat(gitVerifies("verify-tag", "v1.0.0_pre")).isTrue();
    String raw = keys.git(remote.dir(), "cat-file", "tag", "v1.0.0_pre");
    assertThat(raw).contains("-----BEGIN PGP SIGNATURE-----");
    Path keyring = keys.gpgExport(tmp.resolve("ring.asc"), true, fingerprint);
    ReleaseTrust.Decision decision =
        ReleaseTrust.check(
            TrustFile.load(keyring, null),
            remote.repository(),
            remote.repository().resolve("refs/heads/preprod"),
            Map.of("v1.0.0_pre", tagId("v1.0.0_pre")));
    assertThat(decision.trusted()).as(decision.summary()).isTrue();
  }

  @Test
  void withoutAKeyTagsAreUnsignedAndTheOperatorIsToldSo() {
    Cli.Result release = cli.run("--remote", remote.uri(), "--now", NOW, "release", "1.0.0");

    assertThat(release.code()).as(release.toString()).isZero();
    assertThat(release.err()).contains("warning: no signing key").contains("unsigned");
    assertThat(keys.git(remote.dir(), "cat-file", "tag", "v1.0.0_pre")).doesNotContain("SIGNATURE");
  }

  @Test
  void aSigningKeyThatDoesNotExistIsBadUsageAndNothingIsPushed() {
    Cli.Result release =
        cli.run(
            "--remote",
            remote.uri(),
            "--now",
            NOW,
            "--sign-key",
            tmp.resolve("nope").toString(),
            "release",
            "1.0.0");

    assertThat(release.code()).as(release.toString()).isEqualTo(2);
    assertThat(release.err()).contains("nope");
    assertThat(keys.git(remote.dir(), "tag", "--list")).isEmpty();
  }

  @Test
  void explainWithTheNodesTrustFileSaysWhenTrustBlocksTheMove() throws IOException {
    Path key = keys.sshKey("release");
    Path allowed =
        Files.writeString(
            tmp.resolve("allowed_signers"), "olga@ops.invalid " + keys.sshPublic(key) + "\n");
    assertThat(cli.run("--remote", remote.uri(), "--now", NOW, "release", "1.0.0").code()).isZero();

    Cli.Result blocked =
        cli.run(
            "--remote",
            remote.uri(),
            "--now",
            NOW,
            "explain",
            "--ticket",
            "0.5",
            "--channel",
            "preprod",
            "--trust",
            allowed.toString(),
            "--json");

    assertThat(blocked.code()).as(blocked.toString()).isZero();
    assertThat(blocked.out())
        .contains("\"verdict\" : \"hold\"")
        .contains("\"code\" : \"untrusted\"");
    assertThat(blocked.out()).contains("tag v1.0.0_pre not signed");
    Cli.Result without =
        cli.run(
            "--remote",
            remote.uri(),
            "--now",
            NOW,
            "explain",
            "--ticket",
            "0.5",
            "--channel",
            "preprod");
    assertThat(without.out()).contains("decision  move");

    remote.commit("development", "second", Map.of("app.txt", "2\n"));
    assertThat(
            cli.run(
                    "--remote",
                    remote.uri(),
                    "--now",
                    NOW,
                    "--sign-key",
                    key.toString(),
                    "release",
                    "1.1.0")
                .code())
        .isZero();
    Cli.Result trusted =
        cli.run(
            "--remote",
            remote.uri(),
            "--now",
            NOW,
            "explain",
            "--ticket",
            "0.5",
            "--channel",
            "preprod",
            "--trust",
            allowed.toString());
    assertThat(trusted.out())
        .contains("trust     ")
        .contains("tag v1.1.0_pre signed by olga@ops.invalid")
        .contains("decision  move");
  }

  private ObjectId tagId(String tag) {
    try {
      return remote.repository().exactRef("refs/tags/" + tag).getObjectId();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
