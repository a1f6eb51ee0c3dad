package dev.sluice.core.trust;

import java.util.Objects;

/**
 * What checking one signed object against the trust file found.
 *
 * @param trusted a valid signature by a key the trust file lists, inside its validity window and
 *     not revoked
 * @param signer who signed, as far as the signature says: the principal or user id when the key is
 *     known, else the key's fingerprint; null when the object is unsigned
 * @param problem why it is not trusted (null when trusted)
 */
public record Verdict(boolean trusted, String signer, String problem) {

  public Verdict {
    if (!trusted) {
      Objects.requireNonNull(problem, "problem");
    }
  }

  public static Verdict trustedBy(String signer) {
    return new Verdict(true, Objects.requireNonNull(signer, "signer"), null);
  }

  public static Verdict untrusted(String signer, String problem) {
    return new Verdict(false, signer, problem);
  }

  public static Verdict unsigned() {
    return new Verdict(false, null, "not signed");
  }

  /** One line: "signed by X" or "not signed" or "signed by X: why not trusted". */
  public String describe() {
    if (signer == null) {
      return problem;
    }
    return trusted ? "signed by " + signer : "signed by " + signer + ": " + problem;
  }
}
