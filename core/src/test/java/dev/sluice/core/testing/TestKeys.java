package dev.sluice.core.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Real signing keys for tests, made by {@code ssh-keygen} and {@code gpg --batch} in a temporary
 * folder, and the real {@code git} run with an environment that reads nothing of the machine: its
 * own HOME, GNUPGHOME and global git config, no system config.
 */
public final class TestKeys implements AutoCloseable {

  /** A finished process: exit code and output. */
  public record Result(int code, String out, String err) {}

  private final Path dir;
  private final Path gnupg;
  private final Map<String, String> env = new HashMap<>();

  private TestKeys(Path dir) throws IOException {
    this.dir = dir;
    this.gnupg = dir.resolve("gnupg");
    Files.createDirectories(
        gnupg, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    Path home = Files.createDirectories(dir.resolve("home"));
    Path config = dir.resolve("gitconfig");
    Files.writeString(config, "");
    env.put("HOME", home.toString());
    env.put("GNUPGHOME", gnupg.toString());
    env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    env.put("GIT_CONFIG_NOSYSTEM", "1");
    env.put("GIT_CONFIG_GLOBAL", config.toString());
    env.put("LANG", "C");
  }

  /** Keys and a git environment under {@code dir/keys}. */
  public static TestKeys in(Path parent) {
    try {
      return new TestKeys(Files.createDirectories(parent.resolve("keys")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The environment git, gpg and ssh-keygen run in (HOME, GNUPGHOME, no machine config). */
  public Map<String, String> env() {
    return Map.copyOf(env);
  }

  public Path dir() {
    return dir;
  }

  public Path gnupgHome() {
    return gnupg;
  }

  /**
   * A new ed25519 SSH key without passphrase; returns the private key file ({@code .pub} beside).
   */
  public Path sshKey(String name) {
    Path key = dir.resolve(name);
    run(
        dir,
        List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", key.toString()));
    return key;
  }

  /** The public key line of an SSH key made by {@link #sshKey}. */
  public String sshPublic(Path key) {
    try {
      return Files.readString(Path.of(key + ".pub")).strip();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A new OpenPGP ed25519 signing key without passphrase for {@code Name <email>}; its fingerprint.
   */
  public String gpgKey(String name, String email) {
    run(
        dir,
        List.of(
            "gpg",
            "--batch",
            "--pinentry-mode",
            "loopback",
            "--passphrase",
            "",
            "--quick-gen-key",
            name + " <" + email + ">",
            "ed25519",
            "sign",
            "never"));
    String listing =
        run(dir, List.of("gpg", "--batch", "--with-colons", "--fingerprint", email)).out();
    return listing
        .lines()
        .filter(l -> l.startsWith("fpr:"))
        .findFirst()
        .map(l -> l.split(":")[9])
        .orElseThrow();
  }

  /** The public keys as a keyring file ({@code gpg --export}, armored or binary). */
  public Path gpgExport(Path file, boolean armor, String... keys) {
    List<String> command = new ArrayList<>(List.of("gpg", "--batch", "--export"));
    if (armor) {
      command.add("--armor");
    }
    command.addAll(List.of("--output", file.toString()));
    command.addAll(List.of(keys));
    run(dir, command);
    return file;
  }

  /** Imports the revocation certificate gpg made with the key: the key is revoked from now on. */
  public void gpgRevoke(String fingerprint) {
    try {
      Path cert = gnupg.resolve("openpgp-revocs.d").resolve(fingerprint + ".rev");
      String text =
          Files.readString(cert)
              .replace(
                  ":-----BEGIN PGP PUBLIC KEY BLOCK-----", "-----BEGIN PGP PUBLIC KEY BLOCK-----");
      Path usable = dir.resolve(fingerprint + ".rev");
      Files.writeString(usable, text);
      run(dir, List.of("gpg", "--batch", "--import", usable.toString()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs git in {@code where}; fails the test when git fails. */
  public String git(Path where, String... args) {
    List<String> command = new ArrayList<>(List.of("git"));
    command.addAll(List.of(args));
    return run(where, command).out();
  }

  /** Runs git in {@code where} with extra environment; returns whatever happened. */
  public Result gitResult(Path where, Map<String, String> extra, String... args) {
    List<String> command = new ArrayList<>(List.of("git"));
    command.addAll(List.of(args));
    return exec(where, command, extra);
  }

  /** Runs a command; fails the test when it fails. */
  public Result run(Path where, List<String> command) {
    Result result = exec(where, command, Map.of());
    if (result.code() != 0) {
      throw new AssertionError(
          String.join(" ", command) + " failed (" + result.code() + "): " + result.err());
    }
    return result;
  }

  private Result exec(Path where, List<String> command, Map<String, String> extra) {
    ProcessBuilder builder = new ProcessBuilder(command).directory(where.toFile());
    builder.environment().clear();
    builder.environment().putAll(env);
    builder.environment().putAll(extra);
    try {
      Process process = builder.start();
      process.getOutputStream().close();
      CompletableFuture<String> out = read(process.getInputStream());
      CompletableFuture<String> err = read(process.getErrorStream());
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError(String.join(" ", command) + " did not finish in 60 s");
      }
      return new Result(process.exitValue(), out.get(), err.get());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException | java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(e);
    }
  }

  private static CompletableFuture<String> read(InputStream in) {
    return CompletableFuture.supplyAsync(
        () -> {
          try (in;
              ByteArrayOutputStream buffer = new ByteArrayOutputStream()) {
            in.transferTo(buffer);
            return buffer.toString(StandardCharsets.UTF_8);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }

  /** Stops the gpg-agent this GNUPGHOME started, if any. */
  @Override
  public void close() {
    exec(dir, List.of("gpgconf", "--kill", "all"), Map.of());
  }
}
