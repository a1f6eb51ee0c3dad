package dev.sluice.core.report;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;

/**
 * How a node signs its reports and how the dashboard checks them: Ed25519 (built into the JDK) over
 * a fixed domain prefix followed by the exact bytes of the HTTP body. The body's bytes are the
 * canonical form: the dashboard verifies them before it parses anything, so no re-serialisation can
 * change what was signed.
 *
 * <p>Both headers carry base64 (RFC 4648, with padding): {@value #SIGNATURE_HEADER} the 64-byte
 * signature, {@value #PUBLIC_KEY_HEADER} the public key as X.509 SubjectPublicKeyInfo DER (44
 * bytes).
 */
public final class ReportSignature {

  public static final String ALGORITHM = "Ed25519";
  public static final String SIGNATURE_HEADER = "X-Sluice-Signature";
  public static final String PUBLIC_KEY_HEADER = "X-Sluice-Public-Key";

  /** Prefixed to the body before signing, so that a report signature means nothing elsewhere. */
  static final byte[] DOMAIN = "sluice-report-v1\n".getBytes(StandardCharsets.US_ASCII);

  /** Longest header value accepted (a key is 60 base64 characters, a signature 88). */
  public static final int MAX_HEADER_CHARS = 200;

  private ReportSignature() {}

  /** A new Ed25519 key pair from the JDK's default secure random source. */
  public static KeyPair generate() {
    try {
      return KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this Java has no " + ALGORITHM, e);
    }
  }

  /** The signature of {@code body} as a header value. */
  public static String sign(PrivateKey key, byte[] body) {
    try {
      Signature signature = Signature.getInstance(ALGORITHM);
      signature.initSign(key);
      signature.update(DOMAIN);
      signature.update(body);
      return Base64.getEncoder().encodeToString(signature.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign the report: " + e.getMessage(), e);
    }
  }

  /** A public key as a header value. */
  public static String encode(PublicKey key) {
    return Base64.getEncoder().encodeToString(key.getEncoded());
  }

  /**
   * The public key of a header value.
   *
   * @throws IllegalArgumentException if it is not a base64 Ed25519 public key
   */
  public static PublicKey decodePublicKey(String header) {
    if (header == null || header.length() > MAX_HEADER_CHARS) {
      throw new IllegalArgumentException("the public key is missing or too long");
    }
    try {
      return KeyFactory.getInstance(ALGORITHM)
          .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(header.strip())));
    } catch (IllegalArgumentException | InvalidKeySpecException e) {
      throw new IllegalArgumentException("the public key is not a base64 Ed25519 key");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this Java has no " + ALGORITHM, e);
    }
  }

  /** Rebuilds a key pair from its stored encodings (X.509 public, PKCS#8 private). */
  public static KeyPair decodeKeyPair(byte[] publicKey, byte[] privateKey) {
    try {
      KeyFactory factory = KeyFactory.getInstance(ALGORITHM);
      return new KeyPair(
          factory.generatePublic(new X509EncodedKeySpec(publicKey)),
          factory.generatePrivate(new PKCS8EncodedKeySpec(privateKey)));
    } catch (InvalidKeySpecException e) {
      throw new IllegalArgumentException("the stored key pair is not an Ed25519 key pair", e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this Java has no " + ALGORITHM, e);
    }
  }

  /** Whether {@code signatureHeader} is a valid signature of {@code body} by {@code key}. */
  public static boolean verify(PublicKey key, byte[] body, String signatureHeader) {
    if (signatureHeader == null || signatureHeader.length() > MAX_HEADER_CHARS) {
      return false;
    }
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(signatureHeader.strip());
    } catch (IllegalArgumentException e) {
      return false;
    }
    try {
      Signature signature = Signature.getInstance(ALGORITHM);
      signature.initVerify(key);
      signature.update(DOMAIN);
      signature.update(body);
      return signature.verify(bytes);
    } catch (InvalidKeyException | SignatureException e) {
      return false;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this Java has no " + ALGORITHM, e);
    }
  }

  /**
   * The bytes a signature covers: the domain prefix followed by the body. For verifiers that do not
   * go through {@link Signature} (the dashboard uses a faster Ed25519 implementation).
   */
  public static byte[] signedBytes(byte[] body) {
    byte[] message = new byte[DOMAIN.length + body.length];
    System.arraycopy(DOMAIN, 0, message, 0, DOMAIN.length);
    System.arraycopy(body, 0, message, DOMAIN.length, body.length);
    return message;
  }

  /** A short, stable name for a public key: the first 16 hex digits of its SHA-256. */
  public static String fingerprint(PublicKey key) {
    return fingerprint(key.getEncoded());
  }

  /** The fingerprint of a public key's X.509 encoding. */
  public static String fingerprint(byte[] encodedKey) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(encodedKey);
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this Java has no SHA-256", e);
    }
  }
}
