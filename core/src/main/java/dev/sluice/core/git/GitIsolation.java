package dev.sluice.core.git;

import java.io.File;
import java.nio.file.FileStore;
import java.nio.file.FileSystems;
import org.eclipse.jgit.lib.Config;
import org.eclipse.jgit.storage.file.FileBasedConfig;
import org.eclipse.jgit.util.FS;
import org.eclipse.jgit.util.SystemReader;

/**
 * Makes JGit ignore the machine's user and system git configuration, so that a node's {@code
 * ~/.gitconfig} (hooks, url rewrites, autocrlf) can never change what Sluice checks out, and tests
 * behave the same on every machine.
 *
 * <p>JGit reads configuration through one process-wide {@link SystemReader}; installing this is the
 * single piece of global state the programs set, once, in {@code main} (and in tests).
 */
public final class GitIsolation {

  private GitIsolation() {}

  /** Installs a {@link SystemReader} whose user and system configs are empty. Idempotent. */
  public static synchronized void install() {
    SystemReader current = SystemReader.getInstance();
    if (current instanceof Isolated) {
      return;
    }
    SystemReader.setInstance(new Isolated(current));
  }

  private static final class Isolated extends SystemReader.Delegate {
    Isolated(SystemReader delegate) {
      super(delegate);
    }

    @Override
    public FileBasedConfig openUserConfig(Config parent, FS fs) {
      return new EmptyConfig(parent, fs);
    }

    @Override
    public FileBasedConfig openSystemConfig(Config parent, FS fs) {
      return new EmptyConfig(parent, fs);
    }

    @Override
    public FileBasedConfig openJGitConfig(Config parent, FS fs) {
      return new FileStoreDefaults(parent, fs);
    }
  }

  /**
   * JGit's own config, in memory. JGit would measure each file store's timestamp resolution (for
   * seconds, writing probe files) and keep the result in {@code ~/.config/jgit/config}; with that
   * file ignored it would measure on every start. Instead every file store is given JGit's own
   * conservative fallback resolution, which makes JGit compare file contents whenever a timestamp
   * is ambiguous: always correct, and never slow on a node's few recently changed files.
   */
  private static final class FileStoreDefaults extends EmptyConfig {
    FileStoreDefaults(Config parent, FS fs) {
      super(parent, fs);
      // Set here, not in load(): JGit only calls load() on configs that report being outdated.
      String prefix =
          System.getProperty("java.vendor") + '|' + System.getProperty("java.version") + '|';
      long resolution = FS.FileStoreAttributes.FALLBACK_TIMESTAMP_RESOLUTION.toNanos();
      for (FileStore store : FileSystems.getDefault().getFileStores()) {
        String key = prefix + store.name();
        setString("filesystem", key, "timestampResolution", resolution + " nanoseconds");
        setString("filesystem", key, "minRacyThreshold", "0 nanoseconds");
      }
    }
  }

  private static class EmptyConfig extends FileBasedConfig {
    EmptyConfig(Config parent, FS fs) {
      super(parent, (File) null, fs);
    }

    @Override
    public void load() {
      // Nothing to read: the machine's configuration is deliberately ignored.
    }

    @Override
    public boolean isOutdated() {
      return false;
    }

    @Override
    public void save() {
      // Never written.
    }
  }
}
