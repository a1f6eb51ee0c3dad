package dev.sluice.updater.apply;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How a hook process ended.
 *
 * @param exitCode its exit code (-1 when it was killed)
 * @param timedOut whether it ran past its timeout and was killed with its children
 * @param log the bounded log of its output
 * @param tail the last lines of its output, for error messages and the run history
 * @param duration how long it ran
 */
public record ProcessOutcome(
    int exitCode, boolean timedOut, Path log, String tail, Duration duration) {

  public boolean succeeded() {
    return !timedOut && exitCode == 0;
  }

  /** "exited 1" / "timed out after PT5S" plus the output's last lines. */
  public String describe() {
    String how =
        timedOut
            ? "timed out after " + duration.withNanos(0) + " and was killed"
            : "exited " + exitCode;
    return how
        + (tail.isBlank() ? "" : "; output ends: " + tail.strip().replaceAll("\\s*\\n\\s*", " | "))
        + "; log "
        + log;
  }
}
