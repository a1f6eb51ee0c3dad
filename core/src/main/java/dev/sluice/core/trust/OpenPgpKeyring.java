package dev.sluice.core.trust;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Iterator;
import java.util.Locale;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.sig.IssuerFingerprint;
import org.bouncycastle.openpgp.PGPCompressedData;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPPublicKeyRingCollection;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.bc.BcPGPObjectFactory;
import org.bouncycastle.openpgp.operator.bc.BcKeyFingerprintCalculator;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentVerifierBuilderProvider;
import org.bouncycastle.util.encoders.Hex;

/**
 * OpenPGP signatures checked against a keyring file ({@code gpg --export [--armor]}): the signing
 * key (primary or subkey) must be in the keyring, neither it nor its primary key revoked, the
 * signature made after the key was created and before it expired, and the signature valid over the
 * signed bytes. The keyring is a file the node's operator put there, so it is taken as it is: every
 * key in it is trusted (no web of trust, no trust database).
 */
final class OpenPgpKeyring {

  private final PGPPublicKeyRingCollection rings;

  private OpenPgpKeyring(PGPPublicKeyRingCollection rings) {
    this.rings = rings;
  }

  /**
   * Reads a keyring.
   *
   * @throws IOException when the bytes are no OpenPGP keyring
   */
  static OpenPgpKeyring read(byte[] bytes) throws IOException {
    try (InputStream in = PGPUtil.getDecoderStream(new ByteArrayInputStream(bytes))) {
      PGPPublicKeyRingCollection rings =
          new PGPPublicKeyRingCollection(in, new BcKeyFingerprintCalculator());
      if (rings.size() == 0) {
        throw new IOException("no public key in it");
      }
      return new OpenPgpKeyring(rings);
    } catch (PGPException | RuntimeException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  int size() {
    return rings.size();
  }

  Verdict verify(SignedPayload payload) {
    PGPSignature signature;
    try {
      signature = parse(payload.signature());
    } catch (IOException | PGPException | RuntimeException e) {
      return Verdict.untrusted(null, "unreadable OpenPGP signature: " + e.getMessage());
    }
    if (signature == null) {
      return Verdict.untrusted(null, "unreadable OpenPGP signature: no signature packet");
    }
    String keyId = String.format(Locale.ROOT, "%016X", signature.getKeyID());
    IssuerFingerprint issuer =
        signature.getHashedSubPackets() == null
            ? null
            : signature.getHashedSubPackets().getIssuerFingerprint();
    String signer =
        issuer != null ? Hex.toHexString(issuer.getFingerprint()).toUpperCase(Locale.ROOT) : keyId;
    if (signature.getSignatureType() != PGPSignature.BINARY_DOCUMENT) {
      return Verdict.untrusted(signer, "not a detached signature over the object");
    }
    if (signature.getHashAlgorithm() == HashAlgorithmTags.MD5) {
      return Verdict.untrusted(signer, "made with MD5, which is refused");
    }
    PGPPublicKey key = rings.getPublicKey(signature.getKeyID());
    PGPPublicKeyRing ring = key == null ? null : rings.getPublicKeyRing(signature.getKeyID());
    if (key == null || ring == null) {
      return Verdict.untrusted(signer, "key " + keyId + " is not in the trust keyring");
    }
    if (issuer != null && !java.util.Arrays.equals(issuer.getFingerprint(), key.getFingerprint())) {
      return Verdict.untrusted(
          signer, "the signature's issuer fingerprint does not match key " + keyId);
    }
    PGPPublicKey primary = ring.getPublicKey();
    String who = userId(primary) + " (" + fingerprint(primary) + ")";
    if (primary.hasRevocation() || key.hasRevocation()) {
      return Verdict.untrusted(who, "the key is revoked");
    }
    Instant made = signature.getCreationTime().toInstant();
    for (PGPPublicKey k : new PGPPublicKey[] {primary, key}) {
      Instant created = k.getCreationTime().toInstant();
      if (made.isBefore(created)) {
        return Verdict.untrusted(
            who, "signed at " + made + ", before the key existed (" + created + ")");
      }
      long valid = k.getValidSeconds();
      if (valid > 0 && made.isAfter(created.plusSeconds(valid))) {
        return Verdict.untrusted(
            who,
            "signed at " + made + ", after the key expired (" + created.plusSeconds(valid) + ")");
      }
    }
    try {
      signature.init(new BcPGPContentVerifierBuilderProvider(), key);
      signature.update(payload.data());
      if (!signature.verify()) {
        return Verdict.untrusted(who, "the signature does not match the object (altered?)");
      }
    } catch (PGPException | RuntimeException e) {
      return Verdict.untrusted(who, "cannot check the signature: " + e.getMessage());
    }
    return Verdict.trustedBy(who);
  }

  private static PGPSignature parse(byte[] armored) throws IOException, PGPException {
    try (InputStream in = PGPUtil.getDecoderStream(new ByteArrayInputStream(armored))) {
      Object object = new BcPGPObjectFactory(in).nextObject();
      if (object instanceof PGPCompressedData compressed) {
        object = new BcPGPObjectFactory(compressed.getDataStream()).nextObject();
      }
      if (object instanceof PGPSignatureList list && !list.isEmpty()) {
        return list.get(0);
      }
      return null;
    }
  }

  private static String userId(PGPPublicKey key) {
    Iterator<String> ids = key.getUserIDs();
    return ids.hasNext() ? ids.next() : "(no user id)";
  }

  private static String fingerprint(PGPPublicKey key) {
    return Hex.toHexString(key.getFingerprint()).toUpperCase(Locale.ROOT);
  }
}
