package dev.sluice.core.trust;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevObject;

/**
 * The keys a node trusts to sign what it runs, from a file that lives on the node, outside the
 * repository (nothing a push can change). Two formats, told apart by their content:
 *
 * <ul>
 *   <li>SSH: git's {@code allowed_signers} format ({@code principal [options] keytype key}), with
 *       {@code valid-after}/{@code valid-before} windows and {@code namespaces}; optionally a
 *       revocation file (public keys one per line, or an OpenSSH KRL) whose keys are never trusted;
 *   <li>OpenPGP: a keyring exported by {@code gpg --export} (binary or {@code --armor}); key expiry
 *       and revocation signatures in the keyring are honoured.
 * </ul>
 *
 * <p>An object without a signature, or with a signature of the other format, is never trusted.
 *
 * <p>Optionally a second {@code allowed_signers} file lists keys trusted for rollout-policy commits
 * only ({@link #withPolicySigners}): fleet-web's guard signs its automatic pause or dead-end with
 * such a key, so a stolen fleet-web can stop updates but never sign a release.
 */
public final class TrustFile {

  private static final Pattern SSH_KEY =
      Pattern.compile(
          "(^|\\s)(ssh-(ed25519|rsa|dss)|ecdsa-sha2-\\S+|sk-\\S+)(-cert-v01@openssh\\.com)?\\s+\\S");

  private final Path file;
  private final Path revoked;
  private final String digest;
  private final SshSigners ssh;
  private final OpenPgpKeyring openPgp;
  private final int keys;
  private final Path policyFile;
  private final SshSigners policySigners;
  private final int policyKeys;

  private TrustFile(
      Path file,
      Path revoked,
      String digest,
      SshSigners ssh,
      OpenPgpKeyring openPgp,
      int keys,
      Path policyFile,
      SshSigners policySigners,
      int policyKeys) {
    this.file = file;
    this.revoked = revoked;
    this.digest = digest;
    this.ssh = ssh;
    this.openPgp = openPgp;
    this.keys = keys;
    this.policyFile = policyFile;
    this.policySigners = policySigners;
    this.policyKeys = policyKeys;
  }

  /**
   * Reads a trust file.
   *
   * @param file an {@code allowed_signers} file or an OpenPGP keyring
   * @param revoked for SSH: keys that are never trusted (git's {@code gpg.ssh.revocationFile}), or
   *     null
   * @throws IllegalArgumentException naming the file and what is wrong, in one line
   */
  public static TrustFile load(Path file, Path revoked) {
    Objects.requireNonNull(file, "file");
    byte[] bytes = read(file, "trust file");
    byte[] revokedBytes = revoked == null ? new byte[0] : read(revoked, "revocation file");
    String digest = digest(bytes, revokedBytes);
    if (isOpenPgp(bytes)) {
      if (revoked != null) {
        throw new IllegalArgumentException(
            "trust file "
                + file
                + " is an OpenPGP keyring: a revocation file is for SSH keys; import the key's"
                + " revocation certificate into the keyring instead");
      }
      try {
        OpenPgpKeyring keyring = OpenPgpKeyring.read(bytes);
        return new TrustFile(file, null, digest, null, keyring, keyring.size(), null, null, 0);
      } catch (IOException e) {
        throw new IllegalArgumentException(
            "trust file " + file + " is not a readable OpenPGP keyring: " + e.getMessage());
      }
    }
    int count = sshKeys(bytes, "trust file " + file);
    return new TrustFile(
        file, revoked, digest, new SshSigners(file, revoked), null, count, null, null, 0);
  }

  /**
   * This trust file plus keys trusted for rollout-policy commits only: an SSH {@code
   * allowed_signers} file (the revocation file applies to it too). A commit or tag those keys sign
   * is never trusted as a release.
   *
   * @throws IllegalArgumentException naming the file and what is wrong, in one line
   */
  public TrustFile withPolicySigners(Path allowedSigners) {
    Objects.requireNonNull(allowedSigners, "allowedSigners");
    byte[] bytes = read(allowedSigners, "policy trust file");
    if (isOpenPgp(bytes)) {
      throw new IllegalArgumentException(
          "policy trust file "
              + allowedSigners
              + " is an OpenPGP keyring: keys for policy commits only must be SSH keys in an"
              + " allowed_signers file");
    }
    int count = sshKeys(bytes, "policy trust file " + allowedSigners);
    return new TrustFile(
        file,
        revoked,
        digest(digest.getBytes(StandardCharsets.US_ASCII), bytes),
        ssh,
        openPgp,
        keys,
        allowedSigners,
        new SshSigners(allowedSigners, revoked),
        count);
  }

  /** The number of key lines in an allowed_signers file; refuses any other line. */
  private static int sshKeys(byte[] bytes, String what) {
    int count = 0;
    int number = 0;
    for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n", -1)) {
      number++;
      String stripped = line.strip();
      if (stripped.isEmpty() || stripped.startsWith("#")) {
        continue;
      }
      if (!SSH_KEY.matcher(stripped).find()) {
        throw new IllegalArgumentException(
            what
                + " line "
                + number
                + " is neither an allowed_signers entry (principal [options] keytype key) nor a"
                + " comment");
      }
      count++;
    }
    if (count == 0) {
      throw new IllegalArgumentException(what + " lists no key: nothing could ever be trusted");
    }
    return count;
  }

  /** The trust file's path. */
  public Path file() {
    return file;
  }

  /** "SSH allowed signers" or "OpenPGP keyring", with the number of keys, for logs. */
  public String describe() {
    return (openPgp != null ? "OpenPGP keyring " : "SSH allowed signers ")
        + file
        + " ("
        + keys
        + (keys == 1 ? " key" : " keys")
        + (revoked != null ? ", revocations in " + revoked : "")
        + ")"
        + (policyFile == null
            ? ""
            : "; for policy commits only: "
                + policyFile
                + " ("
                + policyKeys
                + (policyKeys == 1 ? " key)" : " keys)"));
  }

  /**
   * A digest of the trust file and the revocation file as read: a verdict cached under it is void
   * as soon as either changes.
   */
  public String digest() {
    return digest;
  }

  /** Checks one parsed tag or commit (its body must be parsed). Unsigned is never trusted. */
  public Verdict verify(Repository repository, RevObject object) {
    SignedPayload payload = SignedPayload.of(object).orElse(null);
    if (payload == null) {
      return Verdict.unsigned();
    }
    return switch (payload.format()) {
      case SSH ->
          ssh != null
              ? ssh.verify(repository, payload)
              : Verdict.untrusted(
                  null, "signed with SSH, but the trust file is an OpenPGP keyring");
      case OPENPGP ->
          openPgp != null
              ? openPgp.verify(payload)
              : Verdict.untrusted(
                  null, "signed with OpenPGP, but the trust file is an SSH allowed signers file");
      case OTHER -> Verdict.untrusted(null, "signed in a format Sluice does not check (X.509?)");
    };
  }

  /**
   * Checks a rollout-policy commit: trusted when a key of the trust file signed it, or a key
   * trusted for policy commits only ({@link #withPolicySigners}).
   */
  public Verdict verifyPolicy(Repository repository, RevObject object) {
    Verdict verdict = verify(repository, object);
    if (verdict.trusted() || policySigners == null) {
      return verdict;
    }
    SignedPayload payload = SignedPayload.of(object).orElse(null);
    if (payload == null || payload.format() != SignedPayload.Format.SSH) {
      return verdict;
    }
    Verdict policyOnly = policySigners.verify(repository, payload);
    return policyOnly.trusted()
        ? Verdict.trustedBy(policyOnly.signer() + ", a key for policy commits only")
        : verdict;
  }

  private static boolean isOpenPgp(byte[] bytes) {
    if (bytes.length > 0 && (bytes[0] & 0x80) != 0) {
      return true;
    }
    String start = new String(bytes, 0, Math.min(bytes.length, 64), StandardCharsets.US_ASCII);
    return start.strip().startsWith("-----BEGIN PGP PUBLIC KEY BLOCK-----");
  }

  private static byte[] read(Path file, String what) {
    try {
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(what + " " + file + " does not exist");
    } catch (IOException e) {
      throw new IllegalArgumentException(what + " " + file + " cannot be read: " + e.getMessage());
    }
  }

  private static String digest(byte[] trust, byte[] revoked) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(trust);
      sha.update((byte) 0);
      sha.update(revoked);
      return HexFormat.of().formatHex(sha.digest()).toLowerCase(Locale.ROOT);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
