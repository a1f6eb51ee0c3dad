package dev.sluice.core.git;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.eclipse.jgit.api.TransportCommand;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.SshTransport;
import org.eclipse.jgit.transport.Transport;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.eclipse.jgit.transport.sshd.JGitKeyCache;
import org.eclipse.jgit.transport.sshd.SshdSessionFactory;
import org.eclipse.jgit.transport.sshd.SshdSessionFactoryBuilder;

/**
 * How a program reaches its git remote: the URL without secrets, the credentials for an https
 * remote, and the keys and known hosts for an ssh remote. Made once from the command line and
 * passed to everything that talks to the remote ({@link RemoteRefs#list(RemoteAccess)}, fetches).
 *
 * <p>A secret never stays in the URL: {@code https://user:TOKEN@host/repo.git} becomes the URL
 * {@code https://host/repo.git} plus the credentials {@code user}/{@code TOKEN}, so every message,
 * log line and stored value that names the remote is free of it. {@link #toString()} never shows
 * the secret either.
 *
 * <p>ssh always checks the server's host key strictly against the known_hosts files: an unknown or
 * changed host key is refused (never added, never asked about), which a caller reports as {@link
 * GitException.Kind#ACCESS_DENIED}, a configuration error.
 */
public final class RemoteAccess {

  /** Environment variable holding an access token for https remotes. */
  public static final String TOKEN_VARIABLE = "SLUICE_GIT_TOKEN";

  /** Environment variable holding the user name sent with the token. */
  public static final String USERNAME_VARIABLE = "SLUICE_GIT_USERNAME";

  /** The user name sent with a token when no other is given (GitHub, Gitea and GitLab take it). */
  public static final String DEFAULT_USERNAME = "x-access-token";

  private final String url;
  private final Credentials credentials;
  private final Ssh ssh;
  private SshdSessionFactory sessions;

  private RemoteAccess(String url, Credentials credentials, Ssh ssh) {
    this.url = url;
    this.credentials = credentials;
    this.ssh = ssh;
  }

  /**
   * A user name and a secret (token or password) for the remote. Its {@code toString} hides both.
   */
  public record Credentials(String username, String secret) {
    public Credentials {
      Objects.requireNonNull(username, "username");
      Objects.requireNonNull(secret, "secret");
    }

    CredentialsProvider provider() {
      return new UsernamePasswordCredentialsProvider(username, secret);
    }

    /** Neither part is shown: a token is often given as the user name. */
    @Override
    public String toString() {
      return "Credentials[***]";
    }
  }

  /**
   * Where ssh finds its configuration, the node's keys and the hosts it trusts.
   *
   * @param home the home directory ({@code ~} in the ssh config)
   * @param directory the ssh directory: its {@code config}, default keys ({@code id_ed25519},
   *     {@code id_ecdsa}, {@code id_rsa}) and {@code known_hosts}
   * @param keys private key files to use instead of the default ones (empty: the defaults)
   * @param knownHosts known_hosts files to trust instead of {@code directory/known_hosts} (empty:
   *     that one)
   */
  public record Ssh(Path home, Path directory, List<Path> keys, List<Path> knownHosts) {
    public Ssh {
      Objects.requireNonNull(home, "home");
      Objects.requireNonNull(directory, "directory");
      keys = List.copyOf(keys);
      knownHosts = List.copyOf(knownHosts);
    }

    /** The user's own {@code ~/.ssh}. */
    public static Ssh of(Path home) {
      return new Ssh(home, home.resolve(".ssh"), List.of(), List.of());
    }

    /** The known_hosts files a host key is checked against. */
    public List<Path> trustedHostFiles() {
      return knownHosts.isEmpty() ? List.of(directory.resolve("known_hosts")) : knownHosts;
    }
  }

  /**
   * Access to a remote with no credentials beyond what its URL carries (moved out of the URL), and
   * ssh from the user's {@code ~/.ssh}.
   *
   * @throws GitException {@code INVALID_REMOTE} when the text is not a git URL
   */
  public static RemoteAccess of(String url) {
    return configure(url, null, Map.of(), Ssh.of(Path.of(System.getProperty("user.home"))));
  }

  /**
   * Access as the command line sets it up.
   *
   * @param url the remote URL; a user-info part is moved out of it into the credentials
   * @param tokenFile a file holding the https token, or null; wins over {@value #TOKEN_VARIABLE}
   * @param env the environment: {@value #TOKEN_VARIABLE}, {@value #USERNAME_VARIABLE}
   * @param ssh the ssh settings for ssh remotes
   * @throws GitException {@code INVALID_REMOTE} when the text is not a git URL
   * @throws IllegalArgumentException when the token file is missing, unreadable or empty
   */
  public static RemoteAccess configure(
      String url, Path tokenFile, Map<String, String> env, Ssh ssh) {
    Objects.requireNonNull(ssh, "ssh");
    URIish uri = parse(url);
    Optional<String> token =
        tokenFile != null
            ? Optional.of(readToken(tokenFile))
            : Optional.ofNullable(env.get(TOKEN_VARIABLE))
                .filter(t -> !t.isBlank())
                .map(String::strip);
    String user = uri.getUser();
    String pass = uri.getPass();
    boolean http = isHttp(uri);
    boolean sshRemote = !http && !"file".equals(uri.getScheme()) && uri.getHost() != null;
    Credentials credentials = null;
    String clean = url;
    if (http && token.isPresent()) {
      String name = env.getOrDefault(USERNAME_VARIABLE, "").strip();
      credentials = new Credentials(name.isEmpty() ? DEFAULT_USERNAME : name, token.get());
      clean = uri.setUser(null).setPass(null).toString();
    } else if (http && user != null) {
      // https://TOKEN@host or https://user:TOKEN@host: both are secrets to move out.
      credentials = new Credentials(user, pass == null ? "" : pass);
      clean = uri.setUser(null).setPass(null).toString();
    } else if (sshRemote && pass != null) {
      // ssh://user:password@host: the user logs in, the password goes to password authentication.
      credentials = new Credentials(user, pass);
      clean = uri.setPass(null).toString();
    } else if (pass != null) {
      clean = uri.setUser(null).setPass(null).toString();
    }
    return new RemoteAccess(clean, credentials, ssh);
  }

  private static URIish parse(String url) {
    if (url == null || url.isBlank()) {
      throw new GitException(GitException.Kind.INVALID_REMOTE, "no remote URL given");
    }
    URIish uri;
    try {
      uri = new URIish(url);
    } catch (URISyntaxException e) {
      uri = null;
    }
    // URIish takes almost any text as a local path; one that still reads as scheme://user@...
    // would keep its secret in the URL every message and the work tree's config repeat.
    if (uri == null || (uri.getUser() == null && !RemoteUrls.redact(url).equals(url))) {
      throw new GitException(
          GitException.Kind.INVALID_REMOTE,
          "remote '" + RemoteUrls.redact(url) + "' is not a git URL");
    }
    return uri;
  }

  private static boolean isHttp(URIish uri) {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    return scheme.equals("http") || scheme.equals("https");
  }

  private static String readToken(Path file) {
    try {
      String token = Files.readString(file, StandardCharsets.UTF_8).strip();
      if (token.isEmpty()) {
        throw new IllegalArgumentException("git token file " + file + " is empty");
      }
      if (token.lines().count() > 1) {
        throw new IllegalArgumentException(
            "git token file " + file + " holds more than one line; it must hold only the token");
      }
      return token;
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("git token file " + file + " does not exist");
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "git token file " + file + " cannot be read: " + e.getClass().getSimpleName());
    }
  }

  /** The remote's URL without any secret: safe to print, log, store and send. */
  public String url() {
    return url;
  }

  /** The credentials sent to the remote, if any. */
  public Optional<Credentials> credentials() {
    return Optional.ofNullable(credentials);
  }

  public Ssh ssh() {
    return ssh;
  }

  /**
   * Makes a JGit command reach the remote this way: its credentials and, for ssh, the node's keys
   * with strict host key checking. The command's remote must be {@link #url()}.
   */
  public <C extends TransportCommand<C, ?>> C apply(C command) {
    if (credentials != null) {
      command.setCredentialsProvider(credentials.provider());
    }
    command.setTransportConfigCallback(this::configure);
    return command;
  }

  /** Sets up a transport JGit opened to the remote (the ssh settings, for an ssh transport). */
  public void configure(Transport transport) {
    if (transport instanceof SshTransport sshTransport) {
      sshTransport.setSshSessionFactory(sessions());
    }
    if (credentials != null) {
      transport.setCredentialsProvider(credentials.provider());
    }
  }

  private synchronized SshdSessionFactory sessions() {
    if (sessions == null) {
      List<Path> trusted = ssh.trustedHostFiles();
      SshdSessionFactoryBuilder builder =
          new SshdSessionFactoryBuilder()
              .setHomeDirectory(ssh.home().toFile())
              .setSshDirectory(ssh.directory().toFile())
              .setDefaultKnownHostsFiles(dir -> trusted)
              .setServerKeyDatabase((home, dir) -> new StrictKnownHosts(trusted));
      if (!ssh.keys().isEmpty()) {
        builder.setDefaultIdentities(dir -> ssh.keys());
      }
      sessions = builder.build(new JGitKeyCache());
    }
    return sessions;
  }

  /**
   * The failure of an operation on the remote as a {@link GitException}: {@code ACCESS_DENIED} when
   * the remote refused the credentials, the key or its host key did not match, else {@code
   * UNREACHABLE}. The message names the remote by its secret-free URL.
   *
   * @param subject how the message starts, followed by the URL: "remote" gives "remote URL is
   *     unreachable: cause" or "remote URL: authentication failed ..."
   */
  public GitException failure(String subject, Throwable e) {
    String cause = RemoteUrls.redactIn(GitException.rootMessage(e));
    Optional<String> denied = deniedBecause(e);
    if (denied.isPresent()) {
      return new GitException(
          GitException.Kind.ACCESS_DENIED, subject + " " + url + ": " + denied.get(), e);
    }
    return new GitException(
        GitException.Kind.UNREACHABLE, subject + " " + url + " is unreachable: " + cause, e);
  }

  /** Why the remote refused access, when the failure says so. */
  Optional<String> deniedBecause(Throwable e) {
    StringBuilder all = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t.getMessage() != null) {
        all.append(t.getMessage()).append('\n');
      }
    }
    String text = all.toString().toLowerCase(Locale.ROOT);
    if (text.contains("server key did not validate")
        || text.contains("host key")
        || text.contains("server key")) {
      return Optional.of(
          "the ssh server's host key is not the one trusted in "
              + String.join(", ", ssh.trustedHostFiles().stream().map(Path::toString).toList())
              + " (unknown host or changed key; strict host key checking refuses it)");
    }
    if (text.contains("not authorized")
        || text.contains("authentication is required")
        || text.contains("no credentialsprovider")
        || text.contains("authentication failed")) {
      return Optional.of(
          credentials == null
              ? "authentication required (give a token with a token file or " + TOKEN_VARIABLE + ")"
              : "authentication failed (the token or password was refused)");
    }
    if (text.contains("cannot log in")
        || text.contains("no more authentication methods")
        || text.contains("auth fail")) {
      return Optional.of(
          "ssh authentication failed (no key in "
              + (ssh.keys().isEmpty()
                  ? ssh.directory().toString()
                  : String.join(", ", ssh.keys().stream().map(Path::toString).toList()))
              + " was accepted)");
    }
    if (text.contains("not permitted")) {
      return Optional.of("access denied (403): the credentials may not read this repository");
    }
    return Optional.empty();
  }

  /** The URL and what is configured, never the secret. */
  @Override
  public String toString() {
    return url + (credentials == null ? "" : " (with credentials)");
  }
}
