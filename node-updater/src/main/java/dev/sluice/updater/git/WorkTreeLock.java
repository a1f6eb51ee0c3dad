package dev.sluice.updater.git;

import dev.sluice.core.git.GitException;
import dev.sluice.updater.lock.OwnedLock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.stream.Stream;

/**
 * An exclusive lock on a work tree ({@code .git/sluice-run.pid}: not a {@code *.lock} name, so no
 * tool mistakes it for a stale git lock), held for the whole run: two runs on one work tree never
 * overlap, even with different state files. The operating system releases it when the holder dies,
 * so a killed run leaves nothing stale; the holder's process id is written into it so a refused run
 * can name it.
 */
public final class WorkTreeLock implements AutoCloseable {

  static final String FILE = "sluice-run.pid";

  private final OwnedLock lock;

  private WorkTreeLock(OwnedLock lock) {
    this.lock = lock;
  }

  /**
   * Takes the lock of {@code workdir}, creating its {@code .git} folder when the work tree is new.
   *
   * @throws GitException {@code CONFIG} when another run holds it, or the folder holds files but no
   *     repository
   */
  public static WorkTreeLock acquire(Path workdir, Instant now) {
    Path gitDir = workdir.resolve(".git");
    try {
      if (!Files.isDirectory(gitDir) && Files.exists(workdir) && !isEmpty(workdir)) {
        throw new GitException(
            GitException.Kind.CONFIG,
            "workdir "
                + workdir
                + " holds files but no git repository; refusing to touch it (empty it or point"
                + " --workdir at a new folder)");
      }
      return new WorkTreeLock(OwnedLock.acquire(gitDir.resolve(FILE), now));
    } catch (OwnedLock.Held held) {
      throw new GitException(
          GitException.Kind.CONFIG,
          "workdir "
              + workdir
              + " is in use by another node-updater run ("
              + held.getMessage()
              + ")");
    } catch (IOException e) {
      throw new GitException(
          GitException.Kind.CORRUPT, "cannot lock workdir " + workdir + ": " + e.getMessage(), e);
    }
  }

  private static boolean isEmpty(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.findAny().isEmpty();
    }
  }

  @Override
  public void close() {
    lock.close();
  }
}
