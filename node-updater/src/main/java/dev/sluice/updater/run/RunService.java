package dev.sluice.updater.run;

import dev.sluice.core.git.RemoteRefs;
import dev.sluice.core.trust.TrustFile;
import dev.sluice.updater.apply.ApplyListener;
import dev.sluice.updater.git.DiskFull;
import dev.sluice.updater.slots.UpdateSlots;
import dev.sluice.updater.state.Database;
import dev.sluice.updater.state.RunStore;
import dev.sluice.updater.state.StateException;
import dev.sluice.updater.state.StateLock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.random.RandomGenerator;
import org.eclipse.jgit.lib.ProgressMonitor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code node-updater run}: take the state lock, open the state file, run the phases of {@link
 * Run}, record the outcome. Callable in-process, so the demo and the benchmark drive many simulated
 * nodes through the same code path as the command.
 *
 * <p>Whatever fails, the working tree is left at a good commit: the one it had, or the target
 * verified. Failures come back as a {@link RunResult} with an action and exit code; only a refusal
 * to start (state locked, state from a newer version, a clock out of range, bad usage) is thrown.
 */
public final class RunService {

  /** The earliest and latest instants a run accepts as "now": anything else is a broken clock. */
  static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");

  static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

  private static final Logger LOG = LoggerFactory.getLogger(RunService.class);

  private final Clock clock;
  private final RandomGenerator random;
  private final ProgressMonitor progress;
  private final ApplyListener listener;
  private final TrustFile trust;
  private final UpdateSlots slots;

  /**
   * @param clock the clock for the lottery, history and saved-change names ({@code --now})
   * @param random the ticket source ({@code SecureRandom} in production)
   * @param progress where fetch progress goes (a terminal, or nowhere)
   */
  public RunService(Clock clock, RandomGenerator random, ProgressMonitor progress) {
    this(clock, random, progress, ApplyListener.NONE);
  }

  /**
   * @param listener told at every journal step of applying a change (fault-injection tests)
   */
  public RunService(
      Clock clock, RandomGenerator random, ProgressMonitor progress, ApplyListener listener) {
    this(clock, random, progress, listener, null, UpdateSlots.NONE);
  }

  private RunService(
      Clock clock,
      RandomGenerator random,
      ProgressMonitor progress,
      ApplyListener listener,
      TrustFile trust,
      UpdateSlots slots) {
    this.clock = clock;
    this.random = random;
    this.progress = progress;
    this.listener = listener;
    this.trust = trust;
    this.slots = slots;
  }

  /**
   * Checks signatures before every move and on every new rollout policy against this trust file
   * (null: no checks).
   */
  public RunService trusting(TrustFile trustFile) {
    return new RunService(clock, random, progress, listener, trustFile, slots);
  }

  /** This service taking update slots from fleet-web before a move, when the policy limits it. */
  public RunService withUpdateSlots(UpdateSlots updateSlots) {
    return new RunService(clock, random, progress, listener, trust, updateSlots);
  }

  /**
   * Runs once.
   *
   * @throws StateException when the state file is locked by another run or was written by a newer
   *     version
   * @throws IllegalArgumentException when the clock is out of range (nothing is written then)
   * @throws dev.sluice.core.git.GitException {@code INVALID_REMOTE} when the remote is not a git
   *     URL
   */
  public RunResult run(RunRequest request) {
    RemoteRefs.checkRemoteSyntax(request.remote().url());
    Instant started = checked(clock.instant());
    boolean emptyStateFile = isEmptyFile(request.state());
    try (StateLock lock = StateLock.acquire(request.state(), started);
        Database database = openState(request, started)) {
      if (database == null) {
        return Run.withoutState(request, started, clock, stateUnusable);
      }
      RunResult result =
          new Run(
                  request,
                  database,
                  started,
                  clock,
                  random,
                  progress,
                  listener,
                  emptyStateFile,
                  trust,
                  slots)
              .execute();
      try {
        new RunStore(database).record(result.report());
      } catch (StateException e) {
        LOG.error("cannot record the run: {}", e.getMessage());
      }
      LOG.info("run finished: {} ({})", result.report().action(), result.report().message());
      return result;
    }
  }

  private String stateUnusable;

  /**
   * The state file, or null when the disk holding it is full: the run then changes nothing and says
   * so (exit 11) instead of failing as if the command line were wrong.
   */
  private Database openState(RunRequest request, Instant started) {
    try {
      return Database.open(request.state(), started);
    } catch (StateException e) {
      long free = freeBytes(request.state());
      if (!DiskFull.causes(e) && free >= LOW_SPACE) {
        throw e;
      }
      stateUnusable =
          "cannot open the state file: the disk is full ("
              + free
              + " bytes free; "
              + e.getMessage()
              + "); nothing was changed";
      LOG.error(stateUnusable);
      return null;
    }
  }

  /** Below this much free space an I/O error of the state file counts as a full disk. */
  static final long LOW_SPACE = 256 * 1024;

  private static long freeBytes(Path file) {
    try {
      return Files.getFileStore(file.toAbsolutePath().getParent()).getUsableSpace();
    } catch (IOException e) {
      return Long.MAX_VALUE;
    }
  }

  /** A clock before 1970 or after 9999 is refused before anything is written. */
  static Instant checked(Instant now) {
    if (now.isBefore(EARLIEST) || now.isAfter(LATEST)) {
      throw new IllegalArgumentException(
          "the time "
              + now
              + " is out of range ("
              + EARLIEST
              + " to "
              + LATEST
              + "): check --now or the system clock; nothing was changed");
    }
    return now;
  }

  private static boolean isEmptyFile(Path file) {
    try {
      return Files.isRegularFile(file) && Files.size(file) == 0;
    } catch (IOException e) {
      return false;
    }
  }
}
