package dev.sluice.updater.git;

import dev.sluice.core.git.GitException;
import dev.sluice.core.git.RemoteAccess;
import dev.sluice.core.git.RemoteRefs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the remote's ref advertisement, trying the configured remote and then each fallback in
 * order, and, while all of them are unreachable, trying again with exponential backoff and jitter
 * until {@link Reach#retryFor()} has passed. Only an unreachable remote is retried or skipped: a
 * remote that refuses the credentials or its host key stops the run at once, as a configuration
 * error.
 *
 * <p>The bound is on the time spent waiting and starting attempts: an attempt that has started ends
 * by its own network timeout, so a run gives up at most one such timeout after {@code retryFor}.
 */
public final class RemoteReach {

  /** The first pause between rounds; each pause doubles, up to {@link #MAX_PAUSE}. */
  static final Duration FIRST_PAUSE = Duration.ofSeconds(1);

  static final Duration MAX_PAUSE = Duration.ofSeconds(8);

  /** Less time than this left is not worth another round. */
  private static final Duration MIN_PAUSE = Duration.ofMillis(50);

  private static final Logger LOG = LoggerFactory.getLogger(RemoteReach.class);

  /**
   * The remote that answered and what it advertised.
   *
   * @param access the remote that answered (the configured one or a fallback)
   * @param refs its branches and tags
   * @param attempts how many listings were tried, this one included
   * @param skipped the remotes tried before it in the last round, with why they failed
   */
  public record Reached(
      RemoteAccess access, RemoteRefs refs, int attempts, Map<String, String> skipped) {
    public Reached {
      skipped = Map.copyOf(skipped);
    }

    /** Whether a fallback, not the configured remote, answered. */
    public boolean fellBack() {
      return !skipped.isEmpty();
    }
  }

  private final List<RemoteAccess> remotes;
  private final Duration retryFor;
  private final RandomGenerator random;

  /**
   * @param primary the configured remote, tried first
   * @param reach the fallbacks and how long to retry
   * @param random the jitter source
   */
  public RemoteReach(RemoteAccess primary, Reach reach, RandomGenerator random) {
    List<RemoteAccess> all = new ArrayList<>();
    all.add(primary);
    all.addAll(reach.fallbacks());
    this.remotes = List.copyOf(all);
    this.retryFor = reach.retryFor();
    this.random = random;
  }

  /**
   * Lists the first remote that answers.
   *
   * @throws GitException {@code UNREACHABLE} naming every remote when none answered within the
   *     time; any other kind at once, from the remote that raised it
   */
  public Reached list() {
    long deadline = System.nanoTime() + retryFor.toNanos();
    int attempts = 0;
    for (int round = 0; ; round++) {
      Map<String, String> failures = new LinkedHashMap<>();
      GitException last = null;
      for (RemoteAccess remote : remotes) {
        attempts++;
        try {
          RemoteRefs refs = RemoteRefs.list(remote);
          if (attempts > 1) {
            LOG.info(
                "remote {} answered at attempt {}{}",
                remote.url(),
                attempts,
                failures.isEmpty() ? "" : " after " + String.join(", ", failures.keySet()));
          }
          return new Reached(remote, refs, attempts, failures);
        } catch (GitException e) {
          if (e.kind() != GitException.Kind.UNREACHABLE) {
            throw e;
          }
          last = e;
          failures.put(remote.url(), e.getMessage());
          LOG.warn("attempt {}: {}", attempts, e.getMessage());
        }
      }
      Duration left = Duration.ofNanos(deadline - System.nanoTime());
      if (left.compareTo(MIN_PAUSE) < 0) {
        throw gaveUp(failures, attempts, last);
      }
      Duration pause = pause(round, left);
      LOG.info(
          "no remote answered; trying again in {} ms ({} ms of --retry-for left)",
          pause.toMillis(),
          left.toMillis());
      try {
        Thread.sleep(pause.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw gaveUp(failures, attempts, last);
      }
    }
  }

  /**
   * The pause after {@code round}: half of the exponential step plus a random part of the other
   * half ("equal jitter"), so 13,000 nodes that failed together do not come back together; never
   * longer than the time left.
   */
  Duration pause(int round, Duration left) {
    long step = Math.min(MAX_PAUSE.toMillis(), FIRST_PAUSE.toMillis() << Math.min(round, 20));
    long millis = step / 2 + (long) (random.nextDouble() * (step - step / 2));
    return Duration.ofMillis(Math.max(0, Math.min(millis, left.toMillis())));
  }

  private GitException gaveUp(Map<String, String> failures, int attempts, GitException last) {
    if (remotes.size() == 1 && attempts == 1) {
      return last;
    }
    String tried =
        failures.values().stream().collect(Collectors.joining("; ", "", ""))
            + " ("
            + attempts
            + " attempt"
            + (attempts == 1 ? "" : "s")
            + (retryFor.isZero() ? "" : " in " + retryFor.toSeconds() + " s")
            + ")";
    return new GitException(GitException.Kind.UNREACHABLE, tried, last);
  }
}
