package dev.sluice.web.fleet;

import java.util.Objects;

/**
 * The key whose signature over a report was checked before the report reached the store.
 *
 * @param publicKey the key as sent (base64 X.509)
 * @param fingerprint a short name for it, shown to operators
 */
public record ReportSigner(String publicKey, String fingerprint) {
  public ReportSigner {
    Objects.requireNonNull(publicKey, "publicKey");
    Objects.requireNonNull(fingerprint, "fingerprint");
  }
}
