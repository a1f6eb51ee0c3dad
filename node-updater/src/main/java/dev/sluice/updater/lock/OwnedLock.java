package dev.sluice.updater.lock;

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
 * An exclusive operating-system lock on a file that names its holder ("pid 123 since T"). The
 * system releases it when the holder dies, so a killed run never leaves a stale lock; the file
 * itself stays (deleting it on release would let a waiting process lock a file nobody else sees).
 * The state lock and the work-tree lock are both one of these.
 */
public final class OwnedLock implements AutoCloseable {

  private final FileChannel channel;
  private final FileLock lock;

  private OwnedLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /** Thrown when another process holds the lock; the message is the holder. */
  public static final class Held extends Exception {
    private static final long serialVersionUID = 1L;

    Held(String holder) {
      super(holder);
    }
  }

  /** How often a refused run reads an empty lock file again, and how long it waits between. */
  private static final int HOLDER_READS = 25;

  private static final long HOLDER_READ_PAUSE_MILLIS = 20;

  /**
   * Takes the lock on {@code file} (created with its folder if missing) or fails at once.
   *
   * @throws Held naming the process that holds it
   * @throws IOException when the file cannot be opened or written
   */
  public static OwnedLock acquire(Path file, Instant now) throws Held, IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    FileChannel channel =
        FileChannel.open(
            file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    try {
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;
      }
      if (lock == null) {
        String holder = holder(channel);
        channel.close();
        throw new Held(holder);
      }
      String holder = "pid " + ProcessHandle.current().pid() + " since " + now;
      channel.truncate(0);
      channel.write(ByteBuffer.wrap(holder.getBytes(StandardCharsets.UTF_8)), 0);
      channel.force(false);
      return new OwnedLock(channel, lock);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  /**
   * The holder's line. The holder writes it just after taking the lock, so a run refused in between
   * finds the file empty: it reads again for a moment before calling the holder unknown.
   */
  private static String holder(FileChannel channel) throws IOException {
    for (int attempt = 0; ; attempt++) {
      ByteBuffer buffer = ByteBuffer.allocate(256);
      int read = channel.read(buffer, 0);
      String text =
          read > 0 ? new String(buffer.array(), 0, read, StandardCharsets.UTF_8).strip() : "";
      if (!text.isEmpty()) {
        return text;
      }
      if (attempt == HOLDER_READS) {
        return "holder unknown";
      }
      try {
        Thread.sleep(HOLDER_READ_PAUSE_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return "holder unknown";
      }
    }
  }

  @Override
  public void close() {
    try {
      lock.release();
      channel.close();
    } catch (IOException e) {
      // The lock goes with the channel: closing is all there is to undo.
    }
  }
}
