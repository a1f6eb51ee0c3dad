package dev.sluice.updater.state;

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

/**
 * An exclusive lock beside the state file ({@code state.db.lock}) so that two runs on one node
 * never overlap. The holder writes its process id into the file, so the refused run can say who
 * holds it. The operating system releases the lock when the holder dies, so a killed run never
 * leaves a stale lock behind.
 */
public final class StateLock implements AutoCloseable {

  private final FileChannel channel;
  private final FileLock lock;

  private StateLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Takes the lock for a state file or fails at once.
   *
   * @throws StateException naming the process that holds the lock
   */
  public static StateLock acquire(Path stateFile, Instant now) {
    Path lockFile = lockFileFor(stateFile);
    FileChannel channel = null;
    try {
      Path parent = lockFile.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      channel =
          FileChannel.open(
              lockFile,
              StandardOpenOption.CREATE,
              StandardOpenOption.READ,
              StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;
      }
      if (lock == null) {
        String holder = readHolder(channel);
        channel.close();
        throw new StateException(
            "state file " + stateFile + " is in use by another run (" + holder + ")");
      }
      String holder = "pid " + ProcessHandle.current().pid() + " since " + now;
      channel.truncate(0);
      channel.write(ByteBuffer.wrap(holder.getBytes(StandardCharsets.UTF_8)), 0);
      channel.force(false);
      return new StateLock(channel, lock);
    } catch (IOException e) {
      closeQuietly(channel);
      throw new StateException("cannot lock state file " + stateFile + ": " + e.getMessage(), e);
    }
  }

  public static Path lockFileFor(Path stateFile) {
    return stateFile.resolveSibling(stateFile.getFileName() + ".lock");
  }

  private static String readHolder(FileChannel channel) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(256);
    int read = channel.read(buffer, 0);
    String text =
        read > 0 ? new String(buffer.array(), 0, read, StandardCharsets.UTF_8).strip() : "";
    return text.isEmpty() ? "holder unknown" : text;
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // Already failing; the original error is what matters.
      }
    }
  }

  @Override
  public void close() {
    try {
      lock.release();
      channel.close();
    } catch (IOException e) {
      throw new StateException("cannot release state lock: " + e.getMessage(), e);
    }
  }
}
