package dev.sluice.core.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.testing.TestKeys;
import dev.sluice.core.testing.TestRemote;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tags and commits signed by the real {@code git} with real keys ({@code ssh-keygen}, {@code gpg})
 * are checked against trust files as a node checks them; {@code git verify-tag} with the same
 * allowed signers or keyring must agree.
 */
class TrustFileTest {

  @TempDir Path tmp;

  private TestRemote remote;
  private TestKeys keys;
  private ObjectId commit;

  @BeforeEach
  void setUp() {
    remote = TestRemote.create(tmp);
    keys = TestKeys.in(tmp);
    commit = remote.commit("preprod", "release 1.0.0", Map.of("app.txt", "version 1\n"));
  }

  @AfterEach
  void tearDown() {
    keys.close();
    remote.close();
  }

  private void sshTag(Path key, String tag, String date) {
    TestKeys.Result r =
        keys.gitResult(
            remote.dir(),
            Map.of("GIT_COMMITTER_DATE", date),
            "-c",
            "user.name=Olga Operator",
            "-c",
            "user.email=olga@example.org",
            "-c",
            "gpg.format=ssh",
            "-c",
            "user.signingKey=" + key,
            "tag",
            "-s",
            "-m",
            "release " + tag,
            tag,
            commit.name());
    assertThat(r.code()).as(r.err()).isZero();
  }

  private void gpgTag(String fingerprint, String tag) {
    keys.git(
        remote.dir(),
        "-c",
        "user.name=Olga Operator",
        "-c",
        "user.email=olga@example.org",
        "-c",
        "user.signingKey=" + fingerprint,
        "tag",
        "-s",
        "-m",
        "release " + tag,
        tag,
        commit.name());
  }

  private ReleaseTrust.Decision check(TrustFile trust, String... tags) throws IOException {
    Map<String, ObjectId> named = new java.util.HashMap<>();
    for (String tag : tags) {
      Ref ref = remote.repository().exactRef("refs/tags/" + tag);
      named.put(tag, ref.getObjectId());
    }
    return ReleaseTrust.check(trust, remote.repository(), commit, named);
  }

  private Path allowed(String... lines) throws IOException {
    return Files.writeString(tmp.resolve("allowed_signers"), String.join("\n", lines) + "\n");
  }

  private boolean gitVerifiesSsh(String tag, Path allowedSigners, Path revoked) {
    java.util.List<String> args =
        new java.util.ArrayList<>(
            java.util.List.of("-c", "gpg.ssh.allowedSignersFile=" + allowedSigners));
    if (revoked != null) {
      args.addAll(java.util.List.of("-c", "gpg.ssh.revocationFile=" + revoked));
    }
    args.addAll(java.util.List.of("verify-tag", tag));
    return keys.gitResult(remote.dir(), Map.of(), args.toArray(String[]::new)).code() == 0;
  }

  @Test
  void sshTagSignedByGitWithATrustedKeyIsTrustedAsGitSays() throws IOException {
    Path key = keys.sshKey("release");
    sshTag(key, "v1.0.0_pre", "2026-06-01T00:00:00Z");
    Path file = allowed("olga@example.org namespaces=\"git\" " + keys.sshPublic(key));

    ReleaseTrust.Decision decision = check(TrustFile.load(file, null), "v1.0.0_pre");

    assertThat(decision.trusted()).as(decision.summary()).isTrue();
    assertThat(decision.by()).isEqualTo("tag v1.0.0_pre");
    assertThat(decision.signer()).contains("olga@example.org").contains("SHA256:");
    assertThat(gitVerifiesSsh("v1.0.0_pre", file, null)).isTrue();
  }

  @Test
  void unsignedTagAndCommitAreNeverTrusted() throws IOException {
    Path key = keys.sshKey("release");
    keys.git(
        remote.dir(),
        "-c",
        "user.name=Eve",
        "-c",
        "user.email=eve@example.org",
        "tag",
        "-a",
        "-m",
        "looks like a release",
        "v1.0.0_pre",
        commit.name());
    Path file = allowed("olga@example.org " + keys.sshPublic(key));

    ReleaseTrust.Decision decision = check(TrustFile.load(file, null), "v1.0.0_pre");

    assertThat(decision.trusted()).isFalse();
    assertThat(decision.signer()).isNull();
    assertThat(decision.summary())
        .contains("tag v1.0.0_pre not signed")
        .contains("commit not signed");
  }

  @Test
  void tagSignedByAKeyTheTrustFileDoesNotListNamesTheSigner() throws IOException {
    Path trusted = keys.sshKey("release");
    Path other = keys.sshKey("attacker");
    sshTag(other, "v1.0.0_pre", "2026-06-01T00:00:00Z");
    Path file = allowed("olga@example.org " + keys.sshPublic(trusted));

    ReleaseTrust.Decision decision = check(TrustFile.load(file, null), "v1.0.0_pre");

    assertThat(decision.trusted()).isFalse();
    String fingerprint =
        keys.run(tmp, java.util.List.of("ssh-keygen", "-l", "-f", other + ".pub"))
            .out()
            .split(" ")[1];
    assertThat(decision.signer()).isEqualTo(fingerprint);
    assertThat(decision.summary()).contains(fingerprint);
    assertThat(gitVerifiesSsh("v1.0.0_pre", file, null)).isFalse();
  }

  @Test
  void keyRotationWindowsDecideByTheTagsTime() throws IOException {
    Path old = keys.sshKey("old");
    Path fresh = keys.sshKey("new");
    // The old key signs until the end of June 2026, the new one from June on: an overlap, no
    // flag day.
    Path file =
        allowed(
            "olga@example.org valid-before=\"20260701\" " + keys.sshPublic(old),
            "olga@example.org valid-after=\"20260601\" " + keys.sshPublic(fresh));
    sshTag(old, "v1.0.0_pre", "2026-05-01T00:00:00Z");
    sshTag(old, "v1.0.1_pre", "2026-08-01T00:00:00Z");
    sshTag(fresh, "v1.0.2_pre", "2026-08-01T00:00:00Z");
    TrustFile trust = TrustFile.load(file, null);

    assertThat(check(trust, "v1.0.0_pre").trusted()).isTrue();
    ReleaseTrust.Decision expired = check(trust, "v1.0.1_pre");
    assertThat(expired.trusted()).isFalse();
    assertThat(expired.summary()).contains("valid-after/valid-before");
    assertThat(check(trust, "v1.0.2_pre").trusted()).isTrue();
    assertThat(gitVerifiesSsh("v1.0.0_pre", file, null)).isTrue();
    assertThat(gitVerifiesSsh("v1.0.1_pre", file, null)).isFalse();
    assertThat(gitVerifiesSsh("v1.0.2_pre", file, null)).isTrue();
  }

  @Test
  void revokedSshKeyIsRefusedEvenInsideItsWindow() throws IOException {
    Path key = keys.sshKey("stolen");
    sshTag(key, "v1.0.0_pre", "2026-06-01T00:00:00Z");
    Path file = allowed("olga@example.org " + keys.sshPublic(key));
    Path revoked = Files.writeString(tmp.resolve("revoked"), keys.sshPublic(key) + "\n");

    assertThat(check(TrustFile.load(file, null), "v1.0.0_pre").trusted()).isTrue();
    ReleaseTrust.Decision decision = check(TrustFile.load(file, revoked), "v1.0.0_pre");

    assertThat(decision.trusted()).isFalse();
    assertThat(decision.summary()).containsIgnoringCase("revoked");
    assertThat(gitVerifiesSsh("v1.0.0_pre", file, revoked)).isFalse();
  }

  @Test
  void signedCommitIsTrustedWithoutATag() throws IOException {
    Path key = keys.sshKey("release");
    Path work = tmp.resolve("work");
    keys.git(tmp, "clone", "-q", "-b", "preprod", remote.uri(), work.toString());
    keys.git(
        work,
        "-c",
        "user.name=Olga",
        "-c",
        "user.email=olga@example.org",
        "-c",
        "gpg.format=ssh",
        "-c",
        "user.signingKey=" + key,
        "commit",
        "-q",
        "-S",
        "--allow-empty",
        "-m",
        "signed");
    keys.git(work, "push", "-q", "origin", "preprod");
    commit = remote.repository().resolve("refs/heads/preprod");
    TrustFile trust = TrustFile.load(allowed("olga@example.org " + keys.sshPublic(key)), null);

    ReleaseTrust.Decision decision = check(trust);

    assertThat(decision.trusted()).as(decision.summary()).isTrue();
    assertThat(decision.by()).isEqualTo("commit");
  }

  @Test
  void openPgpTagSignedByGitIsTrustedWithTheKeyringAndRefusedOnceRevoked() throws IOException {
    String release = keys.gpgKey("Olga Operator", "olga@example.org");
    String other = keys.gpgKey("Eve", "eve@example.org");
    gpgTag(release, "v1.0.0_pre");
    gpgTag(other, "v1.0.1_pre");
    Path armored = keys.gpgExport(tmp.resolve("trusted.asc"), true, release);
    Path binary = keys.gpgExport(tmp.resolve("trusted.gpg"), false, release);

    ReleaseTrust.Decision good = check(TrustFile.load(armored, null), "v1.0.0_pre");
    assertThat(good.trusted()).as(good.summary()).isTrue();
    assertThat(good.signer()).contains("olga@example.org").contains(release);
    assertThat(check(TrustFile.load(binary, null), "v1.0.0_pre").trusted()).isTrue();

    ReleaseTrust.Decision unknown = check(TrustFile.load(armored, null), "v1.0.1_pre");
    assertThat(unknown.trusted()).isFalse();
    assertThat(unknown.summary()).contains("not in the trust keyring");

    keys.gpgRevoke(release);
    Path revoked = keys.gpgExport(tmp.resolve("revoked.asc"), true, release);
    ReleaseTrust.Decision afterRevocation = check(TrustFile.load(revoked, null), "v1.0.0_pre");
    assertThat(afterRevocation.trusted()).isFalse();
    assertThat(afterRevocation.summary()).contains("revoked");
  }

  @Test
  void aTrustFileThatIsNeitherFormatIsRefusedWithItsLine() throws IOException {
    Path file = Files.writeString(tmp.resolve("trust"), "# keys\nnot a key line\n");
    assertThatThrownBy(() -> TrustFile.load(file, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("line 2");
    Path empty = Files.writeString(tmp.resolve("empty"), "# nothing yet\n");
    assertThatThrownBy(() -> TrustFile.load(empty, null)).hasMessageContaining("lists no key");
    assertThatThrownBy(() -> TrustFile.load(tmp.resolve("missing"), null))
        .hasMessageContaining("does not exist");
  }

  /** A policy commit signed in-process as fleet-web's guard signs it. */
  private ObjectId guardCommit(Path key) throws IOException {
    Repository repo = remote.repository();
    PersonIdent guard =
        new PersonIdent(
            "Sluice guard",
            "guard@sluice.invalid",
            java.util.Date.from(java.time.Instant.parse("2026-06-02T00:00:00Z")),
            java.util.TimeZone.getTimeZone("UTC"));
    try (ObjectInserter inserter = repo.newObjectInserter();
        RevWalk walk = new RevWalk(repo)) {
      CommitBuilder builder = new CommitBuilder();
      builder.setTreeId(walk.parseCommit(commit).getTree());
      builder.setParentId(commit);
      builder.setAuthor(guard);
      builder.setCommitter(guard);
      builder.setMessage("guard: pause preprod\n");
      builder.setGpgSignature(SshKeySigner.sign(repo, builder.build(), guard, key));
      ObjectId id = inserter.insert(builder);
      inserter.flush();
      return id;
    }
  }

  private Verdict verifyPolicy(TrustFile trust, ObjectId id) throws IOException {
    try (RevWalk walk = new RevWalk(remote.repository())) {
      return trust.verifyPolicy(remote.repository(), walk.parseCommit(id));
    }
  }

  private Verdict verify(TrustFile trust, ObjectId id) throws IOException {
    try (RevWalk walk = new RevWalk(remote.repository())) {
      return trust.verify(remote.repository(), walk.parseCommit(id));
    }
  }

  @Test
  void aKeyForPolicyCommitsOnlySignsThePolicyButNeverARelease() throws IOException {
    Path release = keys.sshKey("release");
    Path guard = keys.sshKey("guard");
    Path releases = allowed("olga@example.org namespaces=\"git\" " + keys.sshPublic(release));
    Path policyOnly =
        Files.writeString(
            tmp.resolve("policy_signers"),
            "guard@sluice.invalid namespaces=\"git\" " + keys.sshPublic(guard) + "\n");
    ObjectId policyCommit = guardCommit(guard);
    TrustFile plain = TrustFile.load(releases, null);
    TrustFile withGuard = plain.withPolicySigners(policyOnly);

    assertThat(verifyPolicy(plain, policyCommit).trusted()).isFalse();
    Verdict trusted = verifyPolicy(withGuard, policyCommit);
    assertThat(trusted.trusted()).as(trusted.describe()).isTrue();
    assertThat(trusted.signer()).contains("guard@sluice.invalid").contains("policy commits only");
    // The same commit as a release, and a tag the guard's key signed: never trusted.
    assertThat(verify(withGuard, policyCommit).trusted()).isFalse();
    sshTag(guard, "v1.0.0_pre", "2026-06-01T00:00:00Z");
    assertThat(check(withGuard, "v1.0.0_pre").trusted()).isFalse();
    // git agrees the in-process signature is a valid SSH signature of that key.
    assertThat(
            keys.gitResult(
                    remote.dir(),
                    Map.of(),
                    "-c",
                    "gpg.ssh.allowedSignersFile=" + policyOnly,
                    "verify-commit",
                    policyCommit.name())
                .code())
        .isZero();
    assertThat(withGuard.describe()).contains("for policy commits only: " + policyOnly);
    assertThat(withGuard.digest()).isNotEqualTo(plain.digest());
  }

  @Test
  void aRevokedPolicyKeyAndAnUnusablePolicyFileAreRefused() throws IOException {
    Path release = keys.sshKey("release");
    Path guard = keys.sshKey("guard");
    Path releases = allowed("olga@example.org namespaces=\"git\" " + keys.sshPublic(release));
    Path policyOnly =
        Files.writeString(
            tmp.resolve("policy_signers"),
            "guard@sluice.invalid namespaces=\"git\" " + keys.sshPublic(guard) + "\n");
    Path revoked = Files.writeString(tmp.resolve("revoked"), keys.sshPublic(guard) + "\n");
    ObjectId policyCommit = guardCommit(guard);

    TrustFile revokedGuard = TrustFile.load(releases, revoked).withPolicySigners(policyOnly);

    assertThat(verifyPolicy(revokedGuard, policyCommit).trusted()).isFalse();
    Path empty = Files.writeString(tmp.resolve("empty_signers"), "# nobody\n");
    assertThatThrownBy(() -> TrustFile.load(releases, null).withPolicySigners(empty))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("policy trust file " + empty + " lists no key: nothing could ever be trusted");
    assertThatThrownBy(
            () -> TrustFile.load(releases, null).withPolicySigners(tmp.resolve("missing")))
        .hasMessage("policy trust file " + tmp.resolve("missing") + " does not exist");
  }
}
