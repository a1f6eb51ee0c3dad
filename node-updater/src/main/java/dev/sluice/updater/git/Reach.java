package dev.sluice.updater.git;

import dev.sluice.core.git.RemoteAccess;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How hard a run tries to reach its remote before it gives up as offline.
 *
 * @param fallbacks remotes tried in order when the ones before them are unreachable (mirrors)
 * @param retryFor how long to keep trying, with backoff, while every remote is unreachable; zero:
 *     one round only
 */
public record Reach(List<RemoteAccess> fallbacks, Duration retryFor) {

  /** The default of {@code --retry-for}: short, so a run at boot stays short. */
  public static final Duration DEFAULT_RETRY_FOR = Duration.ofSeconds(30);

  /** The longest {@code --retry-for} accepted. */
  public static final Duration MAX_RETRY_FOR = Duration.ofHours(1);

  /** One round over the configured remote, no fallback: what an in-process run does by default. */
  public static final Reach ONCE = new Reach(List.of(), Duration.ZERO);

  public Reach {
    fallbacks = List.copyOf(fallbacks);
    Objects.requireNonNull(retryFor, "retryFor");
    if (retryFor.isNegative() || retryFor.compareTo(MAX_RETRY_FOR) > 0) {
      throw new IllegalArgumentException(
          "--retry-for must be between PT0S and " + MAX_RETRY_FOR + ", not " + retryFor);
    }
  }
}
