package dev.sluice.updater.git;

import dev.sluice.core.git.GitException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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

  private final FileChannel channel;
  private final FileLock lock;

  private WorkTreeLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
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
    FileChannel channel = null;
    try {
      if (!Files.isDirectory(gitDir)) {
        if (Files.exists(workdir) && !isEmpty(workdir)) {
          throw new GitException(
              GitException.Kind.CONFIG,
              "workdir "
                  + workdir
                  + " holds files but no git repository; refusing to touch it (empty it or point"
                  + " --workdir at a new folder)");
        }
        Files.createDirectories(gitDir);
      }
      Path file = gitDir.resolve(FILE);
      channel =
          FileChannel.open(
              file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;
      }
      if (lock == null) {
        String holder = holder(channel);
        channel.close();
        throw new GitException(
            GitException.Kind.CONFIG,
            "workdir " + workdir + " is in use by another node-updater run (" + holder + ")");
      }
      channel.truncate(0);
      channel.write(
          ByteBuffer.wrap(
              ("pid " + ProcessHandle.current().pid() + " since " + now)
                  .getBytes(StandardCharsets.UTF_8)),
          0);
      return new WorkTreeLock(channel, lock);
    } catch (IOException e) {
      if (channel != null) {
        try {
          channel.close();
        } catch (IOException ignored) {
          // Already failing.
        }
      }
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

  private static String holder(FileChannel channel) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(256);
    int read = channel.read(buffer, 0);
    String text =
        read > 0 ? new String(buffer.array(), 0, read, StandardCharsets.UTF_8).strip() : "";
    return text.isEmpty() ? "holder unknown" : text;
  }

  @Override
  public void close() {
    try {
      lock.release();
      channel.close();
    } catch (IOException e) {
      // The lock goes with the channel; nothing to undo.
    }
  }
}
