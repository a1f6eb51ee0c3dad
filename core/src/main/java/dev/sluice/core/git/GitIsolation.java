package dev.sluice.core.git;

import java.io.File;
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
      return new EmptyConfig(parent, fs);
    }
  }

  private static final class EmptyConfig extends FileBasedConfig {
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
