package dev.sluice.updater.report;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The certificates a node trusts for an https dashboard when it is not to use the JVM's trust
 * store: a private CA, or the dashboard's own self-signed certificate, from a PEM file. Only these
 * are trusted, so a certificate from any public CA for the same name is refused.
 */
public final class ReportTrust {

  private ReportTrust() {}

  /**
   * An SSL context that trusts exactly the certificates in {@code pemFile}.
   *
   * @throws IllegalArgumentException naming the file when it is missing, unreadable or holds no
   *     certificate
   */
  public static SSLContext fromPem(Path pemFile) {
    Collection<? extends Certificate> certificates;
    try (InputStream in = Files.newInputStream(pemFile)) {
      certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("--report-ca " + pemFile + " does not exist");
    } catch (IOException e) {
      throw new IllegalArgumentException("--report-ca " + pemFile + " cannot be read: " + e);
    } catch (CertificateException e) {
      throw new IllegalArgumentException(
          "--report-ca " + pemFile + " is not a PEM file of X.509 certificates");
    }
    if (certificates.isEmpty()) {
      throw new IllegalArgumentException("--report-ca " + pemFile + " holds no certificate");
    }
    try {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int i = 0;
      for (Certificate certificate : certificates) {
        store.setCertificateEntry("ca-" + i++, certificate);
      }
      TrustManagerFactory trust =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot set up TLS trust: " + e.getMessage(), e);
    }
  }
}
