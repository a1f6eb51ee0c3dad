package dev.sluice.updater.state;

import dev.sluice.updater.lock.OwnedLock;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;

/**
 * An exclusive lock beside the state file ({@code state.db.lock}) so that two runs on one node
 * never overlap. The holder writes its process id into the file, so the refused run can say who
 * holds it. The operating system releases the lock when the holder dies, so a killed run never
 * leaves a stale lock behind.
 */
public final class StateLock implements AutoCloseable {

  private final OwnedLock lock;

  private StateLock(OwnedLock lock) {
    this.lock = lock;
  }

  /**
   * Takes the lock for a state file or fails at once.
   *
   * @throws StateException naming the process that holds the lock
   */
  public static StateLock acquire(Path stateFile, Instant now) {
    try {
      return new StateLock(OwnedLock.acquire(lockFileFor(stateFile), now));
    } catch (OwnedLock.Held held) {
      throw new StateException(
          "state file " + stateFile + " is in use by another run (" + held.getMessage() + ")");
    } catch (IOException e) {
      throw new StateException("cannot lock state file " + stateFile + ": " + e.getMessage(), e);
    }
  }

  public static Path lockFileFor(Path stateFile) {
    return stateFile.resolveSibling(stateFile.getFileName() + ".lock");
  }

  @Override
  public void close() {
    lock.close();
  }
}
