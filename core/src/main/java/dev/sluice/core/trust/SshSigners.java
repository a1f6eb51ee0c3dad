package dev.sluice.core.trust;

import java.io.IOException;
import java.nio.file.Path;
import org.eclipse.jgit.lib.Config;
import org.eclipse.jgit.lib.GpgConfig;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.SignatureVerifier;
import org.eclipse.jgit.lib.SignatureVerifier.SignatureVerification;
import org.eclipse.jgit.lib.SignatureVerifier.TrustLevel;
import org.eclipse.jgit.signing.ssh.SshSignatureVerifierFactory;

/**
 * SSH signatures checked against an {@code allowed_signers} file (git's {@code
 * gpg.ssh.allowedSignersFile}) and an optional revocation file ({@code gpg.ssh.revocationFile}: a
 * KRL or a list of public keys), by JGit's SSH verifier, with the same rules as {@code git
 * verify-tag}: namespace {@code git}, {@code valid-after}/{@code valid-before} compared with the
 * tagger's or committer's time, revoked keys never valid.
 */
final class SshSigners {

  private final GpgConfig config;

  /** Made on first use: a run that checks nothing loads none of the SSH classes. */
  private SignatureVerifier verifier;

  SshSigners(Path allowedSigners, Path revoked) {
    Config c = new Config();
    c.setString("gpg", null, "format", "ssh");
    c.setString("gpg", "ssh", "allowedSignersFile", allowedSigners.toAbsolutePath().toString());
    if (revoked != null) {
      c.setString("gpg", "ssh", "revocationFile", revoked.toAbsolutePath().toString());
    }
    this.config = new GpgConfig(c);
  }

  Verdict verify(Repository repository, SignedPayload payload) {
    SignatureVerification v;
    try {
      if (verifier == null) {
        verifier = new SshSignatureVerifierFactory().create();
      }
      v = verifier.verify(repository, config, payload.data(), payload.signature());
    } catch (IOException | RuntimeException e) {
      return Verdict.untrusted(null, "cannot check the SSH signature: " + e.getMessage());
    }
    String key = v.keyFingerprint();
    if (v.verified() && !v.expired() && v.trustLevel() == TrustLevel.FULL) {
      return Verdict.trustedBy(v.keyUser() + " (" + key + ")");
    }
    String why = v.message() == null ? "not valid" : v.message();
    if (v.expired()) {
      why = "the key is outside its valid-after/valid-before window (" + why + ")";
    }
    return Verdict.untrusted(key, why);
  }
}
