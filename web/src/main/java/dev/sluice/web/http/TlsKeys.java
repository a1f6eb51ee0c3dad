package dev.sluice.web.http;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.RSAPrivateKey;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

/**
 * The certificate chain and private key fleet-web serves HTTPS with, read from the PEM files an
 * operator has (what certbot, openssl or a private CA write): the certificate file holds the
 * server's certificate first, then any intermediates; the key file an unencrypted RSA, EC or
 * Ed25519 key in PKCS#8 ({@code BEGIN PRIVATE KEY}), PKCS#1 ({@code BEGIN RSA PRIVATE KEY}) or SEC1
 * ({@code BEGIN EC PRIVATE KEY}) form. Every problem is one line naming the file.
 *
 * @param keyStore an in-memory key store holding the key and chain under {@link #ALIAS}
 * @param password the key store's random password
 * @param certificate the server's own certificate
 */
public record TlsKeys(KeyStore keyStore, String password, X509Certificate certificate) {

  static final String ALIAS = "fleet-web";

  private static final Pattern PEM =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----\\s*(.*?)-----END \\1-----", Pattern.DOTALL);

  private static final ASN1ObjectIdentifier ED25519 = new ASN1ObjectIdentifier("1.3.101.112");

  /**
   * Reads and checks the two files: the key must be the certificate's.
   *
   * @throws IllegalArgumentException naming the file and the problem
   */
  public static TlsKeys read(Path certificateFile, Path keyFile) {
    X509Certificate[] chain = chain(certificateFile);
    PrivateKey key = key(keyFile);
    if (!belongsTo(key, chain[0])) {
      throw new IllegalArgumentException(
          "--tls-key " + keyFile + " is not the key of the certificate in " + certificateFile);
    }
    try {
      byte[] random = new byte[18];
      new SecureRandom().nextBytes(random);
      String password = HexFormat.of().formatHex(random);
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry(ALIAS, key, password.toCharArray(), chain);
      return new TlsKeys(store, password, chain[0]);
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot hold the TLS key in memory: " + e.getMessage(), e);
    }
  }

  private static X509Certificate[] chain(Path file) {
    Collection<? extends Certificate> certificates;
    try {
      certificates =
          CertificateFactory.getInstance("X.509")
              .generateCertificates(new ByteArrayInputStream(readFile("--tls-cert", file)));
    } catch (CertificateException e) {
      throw new IllegalArgumentException(
          "--tls-cert " + file + " is not a PEM file of X.509 certificates");
    }
    if (certificates.isEmpty()) {
      throw new IllegalArgumentException("--tls-cert " + file + " holds no certificate");
    }
    return certificates.toArray(X509Certificate[]::new);
  }

  private static PrivateKey key(Path file) {
    String text = new String(readFile("--tls-key", file), StandardCharsets.US_ASCII);
    Matcher block = PEM.matcher(text);
    while (block.find()) {
      String type = block.group(1);
      String body = block.group(2);
      if (type.equals("EC PARAMETERS")) {
        continue;
      }
      if (type.equals("ENCRYPTED PRIVATE KEY") || body.contains("ENCRYPTED")) {
        throw new IllegalArgumentException(
            "--tls-key "
                + file
                + " is encrypted: give fleet-web an unencrypted key file that only its user can"
                + " read");
      }
      byte[] der;
      try {
        der = Base64.getMimeDecoder().decode(body.strip());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--tls-key " + file + " is not valid PEM");
      }
      try {
        PrivateKeyInfo info =
            switch (type) {
              case "PRIVATE KEY" -> PrivateKeyInfo.getInstance(der);
              case "RSA PRIVATE KEY" ->
                  new PrivateKeyInfo(
                      new AlgorithmIdentifier(
                          PKCSObjectIdentifiers.rsaEncryption, DERNull.INSTANCE),
                      RSAPrivateKey.getInstance(der));
              case "EC PRIVATE KEY" -> {
                ECPrivateKey ec = ECPrivateKey.getInstance(der);
                yield new PrivateKeyInfo(
                    new AlgorithmIdentifier(
                        X9ObjectIdentifiers.id_ecPublicKey, ec.getParametersObject()),
                    ec);
              }
              default -> null;
            };
        if (info == null) {
          continue;
        }
        return KeyFactory.getInstance(algorithm(info))
            .generatePrivate(new PKCS8EncodedKeySpec(info.getEncoded()));
      } catch (IOException | GeneralSecurityException | RuntimeException e) {
        throw new IllegalArgumentException(
            "--tls-key "
                + file
                + " holds a "
                + type.toLowerCase(java.util.Locale.ROOT)
                + " that cannot be read");
      }
    }
    throw new IllegalArgumentException("--tls-key " + file + " holds no PEM private key");
  }

  private static String algorithm(PrivateKeyInfo info) {
    ASN1ObjectIdentifier oid = info.getPrivateKeyAlgorithm().getAlgorithm();
    if (oid.equals(PKCSObjectIdentifiers.rsaEncryption)) {
      return "RSA";
    }
    if (oid.equals(X9ObjectIdentifiers.id_ecPublicKey)) {
      return "EC";
    }
    if (oid.equals(ED25519)) {
      return "Ed25519";
    }
    throw new IllegalArgumentException("unsupported key algorithm " + oid);
  }

  /** Whether a signature made with {@code key} verifies under the certificate's public key. */
  private static boolean belongsTo(PrivateKey key, X509Certificate certificate) {
    String algorithm =
        switch (key.getAlgorithm()) {
          case "RSA" -> "SHA256withRSA";
          case "EC" -> "SHA256withECDSA";
          default -> key.getAlgorithm();
        };
    try {
      byte[] probe = "fleet-web key check".getBytes(StandardCharsets.US_ASCII);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(certificate.getPublicKey());
      verifier.update(probe);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static byte[] readFile(String option, Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(option + " " + file + " does not exist");
    } catch (IOException e) {
      throw new IllegalArgumentException(option + " " + file + " cannot be read: " + e);
    }
  }
}
