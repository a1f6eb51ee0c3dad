package dev.sluice.core.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.List;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.apache.sshd.server.command.CommandFactory;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.UploadPack;

/**
 * A real ssh server (Apache MINA sshd) on 127.0.0.1 that serves one repository to {@code
 * git-upload-pack}, accepting only the client key it was given, with a host key made for it. What a
 * node meets when its remote is {@code ssh://git@host/repo.git}.
 */
public final class SshGitServer implements AutoCloseable {

  private final SshServer server;
  private final KeyPair hostKey;

  private SshGitServer(Repository repo, KeyPair hostKey, KeyPair clientKey) throws IOException {
    this.hostKey = hostKey;
    server = SshServer.setUpDefaultServer();
    server.setHost("127.0.0.1");
    server.setPort(0);
    server.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
    server.setPublickeyAuthenticator(
        (user, key, session) -> KeyUtils.compareKeys(key, clientKey.getPublic()));
    server.setCommandFactory(new UploadPackFactory(repo));
    server.start();
  }

  /** Starts a server that lets in only {@code clientKey}. */
  public static SshGitServer start(Repository repo, KeyPair clientKey)
      throws IOException, GeneralSecurityException {
    return new SshGitServer(repo, newKeyPair(), clientKey);
  }

  /** A fresh ECDSA P-256 key pair (fast to make, understood by every ssh). */
  public static KeyPair newKeyPair() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    return generator.generateKeyPair();
  }

  /** Writes the private key in OpenSSH format, readable only by its owner, as ssh demands. */
  public static Path writePrivateKey(KeyPair key, Path file)
      throws IOException, GeneralSecurityException {
    Files.createDirectories(file.getParent());
    try (OutputStream out = Files.newOutputStream(file)) {
      OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(key, "sluice-test", null, out);
    }
    try {
      Files.setPosixFilePermissions(
          file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system; ssh will not complain there either
    }
    return file;
  }

  public int port() {
    return server.getPort();
  }

  /** {@code ssh://git@127.0.0.1:PORT/repo.git} */
  public String url() {
    return "ssh://git@127.0.0.1:" + port() + "/repo.git";
  }

  /** The known_hosts line that trusts this server. */
  public String knownHostsLine() {
    return knownHostsLine(hostKey);
  }

  /** A known_hosts line for this server's address with another key: a changed host key. */
  public String knownHostsLine(KeyPair otherKey) {
    return "[127.0.0.1]:" + port() + " " + PublicKeyEntry.toString(otherKey.getPublic());
  }

  /** Writes a known_hosts file with the given lines. */
  public static Path writeKnownHosts(Path file, String... lines) throws IOException {
    Files.createDirectories(file.getParent());
    Files.write(file, List.of(lines), StandardCharsets.UTF_8);
    return file;
  }

  @Override
  public void close() throws IOException {
    server.stop(true);
  }

  /** Runs {@code git-upload-pack '<path>'} against the one repository. */
  private record UploadPackFactory(Repository repo) implements CommandFactory {
    @Override
    public Command createCommand(ChannelSession channel, String command) {
      return new UploadPackCommand(repo, command);
    }
  }

  private static final class UploadPackCommand implements Command {
    private final Repository repo;
    private final String command;
    private InputStream in;
    private OutputStream out;
    private OutputStream err;
    private ExitCallback exit;
    private Thread worker;

    UploadPackCommand(Repository repo, String command) {
      this.repo = repo;
      this.command = command;
    }

    @Override
    public void setInputStream(InputStream in) {
      this.in = in;
    }

    @Override
    public void setOutputStream(OutputStream out) {
      this.out = out;
    }

    @Override
    public void setErrorStream(OutputStream err) {
      this.err = err;
    }

    @Override
    public void setExitCallback(ExitCallback exit) {
      this.exit = exit;
    }

    @Override
    public void start(ChannelSession channel, Environment env) {
      worker =
          new Thread(
              () -> {
                if (!command.startsWith("git-upload-pack ")) {
                  try {
                    err.write(
                        ("only git-upload-pack is served\n").getBytes(StandardCharsets.UTF_8));
                    err.flush();
                  } catch (IOException e) {
                    // the client went away
                  }
                  exit.onExit(1, "unsupported command");
                  return;
                }
                try {
                  new UploadPack(repo).upload(in, out, err);
                  out.flush();
                  exit.onExit(0);
                } catch (IOException | RuntimeException e) {
                  exit.onExit(1, String.valueOf(e.getMessage()));
                }
              },
              "ssh-upload-pack");
      worker.setDaemon(true);
      worker.start();
    }

    @Override
    public void destroy(ChannelSession channel) {
      if (worker != null) {
        worker.interrupt();
      }
    }
  }
}
