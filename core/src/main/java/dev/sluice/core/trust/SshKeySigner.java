package dev.sluice.core.trust;

import java.io.IOException;
import java.nio.file.Path;
import org.eclipse.jgit.api.errors.CanceledException;
import org.eclipse.jgit.api.errors.UnsupportedSigningFormatException;
import org.eclipse.jgit.lib.Config;
import org.eclipse.jgit.lib.GpgConfig;
import org.eclipse.jgit.lib.GpgSignature;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.signing.ssh.SshSignerFactory;

/**
 * Signs a commit or tag in-process with an SSH private key file that needs no passphrase, as {@code
 * git commit -S} does with {@code gpg.format=ssh} (namespace {@code git}): what {@link TrustFile}
 * verifies.
 */
public final class SshKeySigner {

  private SshKeySigner() {}

  /**
   * The signature of an object's raw bytes.
   *
   * @param key the private key file, or its {@code .pub} beside it
   * @throws IOException when the key cannot be read or used
   */
  public static GpgSignature sign(Repository repository, byte[] data, PersonIdent who, Path key)
      throws IOException {
    Config config = new Config();
    config.setString("gpg", null, "format", "ssh");
    try {
      return new SshSignerFactory()
          .create()
          .sign(repository, new GpgConfig(config), data, who, key.toString(), null);
    } catch (CanceledException | UnsupportedSigningFormatException e) {
      throw new IOException(e.getMessage(), e);
    }
  }
}
