package dev.sluice.admin.git;

import dev.sluice.core.git.RemoteCache;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;

/**
 * How channel-admin reaches one remote: its URL, the local cache clone it works through, and the
 * credentials for https remotes.
 *
 * @param remote the remote URL ({@code file://}, ssh or https)
 * @param cacheDir the bare cache clone; safe to delete
 * @param credentials a token for https remotes, or null (ssh uses JGit's default transport)
 */
public record RemoteAccess(String remote, Path cacheDir, CredentialsProvider credentials) {

  /** Environment variable holding an access token for https remotes (as for node-updater). */
  public static final String TOKEN_VARIABLE = dev.sluice.core.git.RemoteAccess.TOKEN_VARIABLE;

  /** Environment variable holding the user name sent with the token (as for node-updater). */
  public static final String USERNAME_VARIABLE = dev.sluice.core.git.RemoteAccess.USERNAME_VARIABLE;

  /** The name channel-admin read the user name from before it matched node-updater's. */
  static final String OLD_USER_VARIABLE = "SLUICE_GIT_USER";

  /** The user name sent with a token when {@value #USERNAME_VARIABLE} is not set. */
  public static final String DEFAULT_TOKEN_USER = dev.sluice.core.git.RemoteAccess.DEFAULT_USERNAME;

  public RemoteAccess {
    Objects.requireNonNull(remote, "remote");
    Objects.requireNonNull(cacheDir, "cacheDir");
  }

  /**
   * Access to a remote with the cache in {@code cacheDir} or, when that is null, in the default
   * place, and credentials from the environment.
   */
  public static RemoteAccess of(String remote, Path cacheDir, Map<String, String> env, Path home) {
    Path dir = cacheDir != null ? cacheDir : defaultCacheDir(remote, env, home);
    return new RemoteAccess(remote, dir, credentialsFrom(env));
  }

  /**
   * {@code $XDG_CACHE_HOME/sluice/admin/<hash of the URL>}, or under {@code ~/.cache} when {@code
   * XDG_CACHE_HOME} is not set.
   */
  public static Path defaultCacheDir(String remote, Map<String, String> env, Path home) {
    String xdg = env.get("XDG_CACHE_HOME");
    Path base =
        xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()
            ? Path.of(xdg)
            : home.resolve(".cache");
    return base.resolve("sluice").resolve("admin").resolve(hash(remote));
  }

  /**
   * Token credentials from {@value #TOKEN_VARIABLE}, or null when it is not set. The user name
   * comes from {@value #USERNAME_VARIABLE}, the same variable node-updater reads; the older {@value
   * #OLD_USER_VARIABLE} is still honoured when the new one is not set.
   */
  public static CredentialsProvider credentialsFrom(Map<String, String> env) {
    String token = env.get(TOKEN_VARIABLE);
    if (token == null || token.isEmpty()) {
      return null;
    }
    String user = env.getOrDefault(USERNAME_VARIABLE, "");
    if (user.isEmpty()) {
      user = env.getOrDefault(OLD_USER_VARIABLE, "");
    }
    return new UsernamePasswordCredentialsProvider(
        user.isEmpty() ? DEFAULT_TOKEN_USER : user, token);
  }

  /** Opens the cache (creating it when missing) and fetches the remote's branches and tags. */
  public RemoteCache openFetched() {
    RemoteCache cache = RemoteCache.open(cacheDir, remote, credentials);
    try {
      cache.fetch();
      return cache;
    } catch (RuntimeException e) {
      cache.close();
      throw e;
    }
  }

  private static String hash(String remote) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(remote.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
    }
  }
}
