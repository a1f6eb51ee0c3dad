package dev.sluice.admin.git;

import dev.sluice.admin.AdminException;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.eclipse.jgit.errors.ConfigInvalidException;
import org.eclipse.jgit.lib.Config;
import org.eclipse.jgit.storage.file.FileBasedConfig;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.util.FS;

/**
 * Finds the operator's git identity for the tags and policy commits channel-admin makes. The name
 * and the email are each taken from the first source that has them, in this order:
 *
 * <ol>
 *   <li>{@code --as "NAME <EMAIL>"};
 *   <li>{@code GIT_COMMITTER_NAME}/{@code GIT_COMMITTER_EMAIL}, then {@code GIT_AUTHOR_NAME}/{@code
 *       GIT_AUTHOR_EMAIL} (as git reads them);
 *   <li>{@code user.name}/{@code user.email} from git config: the repository the command runs in,
 *       if any, then the global config ({@code $GIT_CONFIG_GLOBAL}, else {@code ~/.gitconfig} over
 *       {@code $XDG_CONFIG_HOME/git/config}).
 * </ol>
 *
 * <p>These files are read directly from the paths given (home, working directory), never through
 * JGit's process-wide configuration, which {@link dev.sluice.core.git.GitIsolation} keeps empty.
 * When no source knows a name and an email, writing commands refuse rather than invent one.
 */
public final class OperatorIdentity {

  private final Map<String, String> env;
  private final Path home;
  private final Path cwd;
  private final String as;

  /**
   * @param env the environment variables
   * @param home the user's home directory (global git config)
   * @param cwd the working directory (its repository's config), or null for none
   * @param as the {@code --as} value, or null
   */
  public OperatorIdentity(Map<String, String> env, Path home, Path cwd, String as) {
    this.env = Map.copyOf(env);
    this.home = Objects.requireNonNull(home, "home");
    this.cwd = cwd;
    this.as = as;
  }

  /**
   * The operator's identity.
   *
   * @throws AdminException.Usage when {@code --as} is malformed or no name or email is known
   */
  public Operator require() {
    if (as != null) {
      try {
        return Operator.parse(as);
      } catch (IllegalArgumentException e) {
        throw new AdminException.Usage("--as: " + e.getMessage());
      }
    }
    List<Config> configs = configs();
    String name =
        first(env("GIT_COMMITTER_NAME"), env("GIT_AUTHOR_NAME"), fromConfigs(configs, "name"));
    String email =
        first(env("GIT_COMMITTER_EMAIL"), env("GIT_AUTHOR_EMAIL"), fromConfigs(configs, "email"));
    if (name == null || email == null) {
      throw new AdminException.Usage(
          "who is making this change? No git "
              + (name == null && email == null
                  ? "user.name and user.email"
                  : name == null ? "user.name" : "user.email")
              + " is configured: run git config --global user.name/user.email, set"
              + " GIT_COMMITTER_NAME/GIT_COMMITTER_EMAIL, or pass --as \"NAME <EMAIL>\"");
    }
    try {
      return new Operator(name, email);
    } catch (IllegalArgumentException e) {
      throw new AdminException.Usage(e.getMessage() + "; pass --as \"NAME <EMAIL>\"");
    }
  }

  private String env(String key) {
    String value = env.get(key);
    return value == null || value.isBlank() ? null : value.strip();
  }

  private static String first(String... values) {
    for (String value : values) {
      if (value != null) {
        return value;
      }
    }
    return null;
  }

  private static String fromConfigs(List<Config> configs, String key) {
    for (Config config : configs) {
      String value = config.getString("user", null, key);
      if (value != null && !value.isBlank()) {
        return value.strip();
      }
    }
    return null;
  }

  /** The repository's git config (if any), then the global ones, most specific first. */
  public List<Config> configs() {
    List<Config> configs = new ArrayList<>();
    repositoryConfig().ifPresent(configs::add);
    String global = env("GIT_CONFIG_GLOBAL");
    if (global != null) {
      load(Path.of(global)).ifPresent(configs::add);
      return configs;
    }
    load(home.resolve(".gitconfig")).ifPresent(configs::add);
    String xdg = env("XDG_CONFIG_HOME");
    Path xdgDir = xdg != null && Path.of(xdg).isAbsolute() ? Path.of(xdg) : home.resolve(".config");
    load(xdgDir.resolve("git").resolve("config")).ifPresent(configs::add);
    return configs;
  }

  private Optional<Config> repositoryConfig() {
    if (cwd == null) {
      return Optional.empty();
    }
    try {
      FileRepositoryBuilder builder = new FileRepositoryBuilder().findGitDir(cwd.toFile());
      if (builder.getGitDir() == null) {
        return Optional.empty();
      }
      builder.setup();
      File common =
          builder.getGitCommonDir() != null ? builder.getGitCommonDir() : builder.getGitDir();
      return load(common.toPath().resolve("config"));
    } catch (IOException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static Optional<Config> load(Path file) {
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    FileBasedConfig config = new FileBasedConfig(file.toFile(), FS.DETECTED);
    try {
      config.load();
      return Optional.of(config);
    } catch (IOException | ConfigInvalidException e) {
      throw new AdminException.Usage(
          "cannot read git config " + file + " for user.name/user.email: " + e.getMessage());
    }
  }
}
