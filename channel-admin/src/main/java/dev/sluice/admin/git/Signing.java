package dev.sluice.admin.git;

import dev.sluice.admin.AdminException;
import dev.sluice.core.trust.SshKeySigner;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.lib.Config;
import org.eclipse.jgit.lib.GpgConfig;
import org.eclipse.jgit.lib.GpgSignature;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;

/**
 * How channel-admin signs the tags and policy commits it writes, as git would with the same
 * configuration: {@code gpg.format} (openpgp or ssh), {@code user.signingKey} (or {@code
 * --sign-key}), {@code gpg.program} / {@code gpg.ssh.program}.
 *
 * <ul>
 *   <li>SSH with a private key file (or a {@code .pub} beside its unencrypted private key): signed
 *       in-process by JGit's SSH signer.
 *   <li>SSH with a key held by an agent ({@code key::ssh-ed25519 ...}, a {@code .pub} without a
 *       usable private key beside it, a passphrase-protected key): {@code ssh-keygen -Y sign},
 *       which asks the agent named by {@code SSH_AUTH_SOCK}, as git does.
 *   <li>OpenPGP: {@code gpg --status-fd=2 -bsau KEY}, as git does, so gpg-agent, smartcards and
 *       {@code GNUPGHOME} work unchanged. Without a key, gpg picks the operator's "Name
 *       &lt;email&gt;".
 * </ul>
 *
 * @param format how to sign, or null for not at all
 * @param key the signing key as configured (a file, {@code key::...}, a GnuPG key id), or null
 *     (OpenPGP only: the operator's identity)
 * @param program the external signer ({@code gpg}, {@code ssh-keygen})
 * @param env the environment the external signer runs in ({@code GNUPGHOME}, {@code SSH_AUTH_SOCK})
 */
public record Signing(
    GpgConfig.GpgFormat format, String key, String program, Map<String, String> env) {

  /** Writes unsigned objects. */
  public static final Signing NONE = new Signing(null, null, null, Map.of());

  public Signing {
    env = Map.copyOf(env);
  }

  public boolean enabled() {
    return format != null;
  }

  /** "SSH key K" / "OpenPGP key K", for messages. */
  public String describe() {
    if (!enabled()) {
      return "unsigned";
    }
    return (format == GpgConfig.GpgFormat.SSH ? "SSH key " : "OpenPGP key ")
        + (key == null ? "of the operator's identity" : key);
  }

  /**
   * Signs the raw bytes of a tag or commit.
   *
   * @throws AdminException.Usage when the key cannot be used, naming the key and the cause
   */
  public GpgSignature sign(Repository repo, byte[] data, PersonIdent who, String what) {
    if (!enabled()) {
      throw new IllegalStateException("signing is off");
    }
    try {
      return format == GpgConfig.GpgFormat.SSH ? ssh(repo, data, who) : openPgp(data, who);
    } catch (IOException | RuntimeException e) {
      if (e instanceof AdminException) {
        throw (AdminException) e;
      }
      throw new AdminException.Usage(
          "cannot sign " + what + " with " + describe() + ": " + e.getMessage());
    }
  }

  private GpgSignature ssh(Repository repo, byte[] data, PersonIdent who) throws IOException {
    Path file = key.startsWith("key::") ? null : Path.of(key);
    if (file != null && inProcess(file)) {
      return SshKeySigner.sign(repo, data, who, file);
    }
    // An agent key: ssh-keygen asks the agent, reading the public key from a file.
    Path publicKey = file;
    Path temp = null;
    try {
      if (file == null) {
        temp = Files.createTempFile("sluice-signing-key", ".pub");
        Files.writeString(temp, key.substring("key::".length()) + "\n");
        publicKey = temp;
      }
      byte[] signature =
          run(
              List.of(program, "-Y", "sign", "-n", "git", "-U", "-f", publicKey.toString()),
              data,
              "ssh-keygen");
      return new GpgSignature(signature);
    } finally {
      if (temp != null) {
        Files.deleteIfExists(temp);
      }
    }
  }

  /** A private key file that needs no passphrase, or a .pub beside one: JGit signs it. */
  private static boolean inProcess(Path file) {
    Path privateKey = file;
    String name = file.getFileName().toString();
    if (name.endsWith(".pub")) {
      privateKey = file.resolveSibling(name.substring(0, name.length() - 4));
    }
    if (!Files.isReadable(privateKey)) {
      return false;
    }
    try {
      String text = Files.readString(privateKey, StandardCharsets.US_ASCII);
      if (!text.contains("PRIVATE KEY")) {
        return false;
      }
      if (text.contains("ENCRYPTED")) {
        return false;
      }
      if (text.contains("BEGIN OPENSSH PRIVATE KEY")) {
        // The OpenSSH format names its cipher inside the base64 body: "none" for no passphrase.
        String body = text.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        byte[] raw = java.util.Base64.getDecoder().decode(body);
        String head = new String(raw, 0, Math.min(raw.length, 64), StandardCharsets.ISO_8859_1);
        return head.contains("none");
      }
      return true;
    } catch (IOException | IllegalArgumentException e) {
      return false;
    }
  }

  private GpgSignature openPgp(byte[] data, PersonIdent who) throws IOException {
    String user = key != null ? key : who.getName() + " <" + who.getEmailAddress() + ">";
    List<String> command = new ArrayList<>(List.of(program, "--status-fd=2", "-bsau", user));
    return new GpgSignature(run(command, data, "gpg"));
  }

  private byte[] run(List<String> command, byte[] input, String name) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().clear();
    builder.environment().putAll(env);
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new IOException("cannot start " + command.get(0) + " (" + e.getMessage() + ")", e);
    }
    CompletableFuture<byte[]> out = readAll(process.getInputStream());
    CompletableFuture<byte[]> err = readAll(process.getErrorStream());
    try (OutputStream stdin = process.getOutputStream()) {
      stdin.write(input);
    } catch (IOException e) {
      // The signer exited early; its exit code and message say why.
    }
    try {
      if (!process.waitFor(2, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new IOException(
            name + " did not finish within 2 minutes (waiting for a passphrase?)");
      }
      byte[] signature = out.get();
      String message = new String(err.get(), StandardCharsets.UTF_8).strip();
      if (process.exitValue() != 0 || signature.length == 0) {
        throw new IOException(
            name + " failed (exit " + process.exitValue() + "): " + lastLine(message));
      }
      return signature;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      throw new IOException("interrupted while " + name + " was signing", e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IOException(e.getCause().getMessage(), e.getCause());
    }
  }

  private static String lastLine(String text) {
    List<String> lines =
        text.lines().filter(l -> !l.startsWith("[GNUPG:]") && !l.isBlank()).toList();
    return lines.isEmpty() ? "(no message)" : lines.get(lines.size() - 1);
  }

  private static CompletableFuture<byte[]> readAll(InputStream in) {
    return CompletableFuture.supplyAsync(
        () -> {
          try (in;
              ByteArrayOutputStream buffer = new ByteArrayOutputStream()) {
            in.transferTo(buffer);
            return buffer.toByteArray();
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        });
  }

  /**
   * Finds the signing settings in the operator's git configuration and the command line.
   *
   * <p>Signing is on with {@code --sign-key}, or when git config has {@code user.signingKey} or
   * {@code tag.gpgSign=true}; {@code tag.gpgSign=false} (without {@code --sign-key}) or {@code
   * --no-sign} turns it off. The format is {@code gpg.format}; when that is not set, a key that is
   * a file or starts with {@code key::}/{@code ssh-} is an SSH key, anything else OpenPGP.
   *
   * @param configs the operator's git configs, most specific first
   * @param signKey {@code --sign-key}, or null
   * @param noSign {@code --no-sign}
   * @param home expands {@code ~/} in key paths
   * @param cwd resolves relative key paths (null: the process's)
   */
  public static Signing resolve(
      List<Config> configs,
      Map<String, String> env,
      String signKey,
      boolean noSign,
      Path home,
      Path cwd) {
    Objects.requireNonNull(home, "home");
    if (noSign) {
      return NONE;
    }
    String key = signKey != null ? signKey : string(configs, "user", null, "signingKey");
    Boolean tagSign = bool(configs, "tag", "gpgSign");
    if (signKey == null && (Boolean.FALSE.equals(tagSign) || (key == null && tagSign == null))) {
      return NONE;
    }
    String formatText = string(configs, "gpg", null, "format");
    GpgConfig.GpgFormat format;
    if (formatText != null) {
      format =
          switch (formatText.toLowerCase(Locale.ROOT)) {
            case "ssh" -> GpgConfig.GpgFormat.SSH;
            case "openpgp" -> GpgConfig.GpgFormat.OPENPGP;
            default ->
                throw new AdminException.Usage(
                    "gpg.format '" + formatText + "' is not supported: use openpgp or ssh");
          };
    } else {
      format =
          key != null && looksLikeSsh(key, home, cwd)
              ? GpgConfig.GpgFormat.SSH
              : GpgConfig.GpgFormat.OPENPGP;
    }
    if (format == GpgConfig.GpgFormat.SSH) {
      if (key == null) {
        throw new AdminException.Usage(
            "gpg.format is ssh but no key is named: set user.signingKey or pass --sign-key FILE");
      }
      String resolved = key.startsWith("key::") ? key : expand(key, home, cwd).toString();
      if (!key.startsWith("key::") && !Files.isReadable(Path.of(resolved))) {
        throw new AdminException.Usage(
            "signing key "
                + resolved
                + (Files.exists(Path.of(resolved)) ? " cannot be read" : " does not exist"));
      }
      String program = first(string(configs, "gpg", "ssh", "program"), "ssh-keygen");
      return new Signing(format, resolved, program, env);
    }
    String program =
        first(
            string(configs, "gpg", "openpgp", "program"),
            string(configs, "gpg", null, "program"),
            "gpg");
    return new Signing(format, key, program, env);
  }

  private static boolean looksLikeSsh(String key, Path home, Path cwd) {
    return key.startsWith("key::")
        || key.startsWith("ssh-")
        || key.startsWith("ecdsa-")
        || key.startsWith("~/")
        || key.contains("/")
        || Files.isRegularFile(expand(key, home, cwd));
  }

  private static Path expand(String key, Path home, Path cwd) {
    if (key.startsWith("~/")) {
      return home.resolve(key.substring(2));
    }
    Path path = Path.of(key);
    if (path.isAbsolute() || cwd == null) {
      return path.toAbsolutePath();
    }
    return cwd.resolve(path);
  }

  private static String string(List<Config> configs, String section, String sub, String name) {
    for (Config config : configs) {
      String value = config.getString(section, sub, name);
      if (value != null && !value.isBlank()) {
        return value.strip();
      }
    }
    return null;
  }

  private static Boolean bool(List<Config> configs, String section, String name) {
    for (Config config : configs) {
      if (config.getString(section, null, name) != null) {
        return config.getBoolean(section, name, false);
      }
    }
    return null;
  }

  @SafeVarargs
  private static <T> T first(T... values) {
    for (T value : values) {
      if (value != null) {
        return value;
      }
    }
    return null;
  }
}
