package dev.sluice.updater.apply;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * How a change is applied and verified on the node.
 *
 * @param postUpdate run in the workdir after every checkout (e.g. {@code npm ci --omit=dev})
 * @param postUpdateTimeout how long the hook may take
 * @param restart run after a successful checkout and hook when the software is already running
 * @param boot true when the node's software is not running yet (the updater runs at boot), so
 *     {@code restart} is not run
 * @param healthCheck a command that must exit 0, or an http(s) URL that must answer 2xx
 * @param healthTimeout how long one health attempt may take
 * @param healthRetries how many attempts before the check fails
 * @param healthInterval the pause between attempts
 * @param maxAttempts how often a commit may fail before it is skipped until a newer one appears;
 *     null: the rollout policy's
 * @param logDir where hook output logs go
 */
public record ApplySettings(
    Optional<HookCommand> postUpdate,
    Duration postUpdateTimeout,
    Optional<HookCommand> restart,
    boolean boot,
    Optional<HealthCheck> healthCheck,
    Duration healthTimeout,
    int healthRetries,
    Duration healthInterval,
    Integer maxAttempts,
    Path logDir) {

  public static final Duration DEFAULT_HOOK_TIMEOUT = Duration.ofMinutes(10);
  public static final Duration DEFAULT_HEALTH_TIMEOUT = Duration.ofSeconds(30);
  public static final int DEFAULT_HEALTH_RETRIES = 3;
  public static final Duration DEFAULT_HEALTH_INTERVAL = Duration.ofSeconds(5);

  public ApplySettings {
    Objects.requireNonNull(postUpdate, "postUpdate");
    Objects.requireNonNull(restart, "restart");
    Objects.requireNonNull(healthCheck, "healthCheck");
    Objects.requireNonNull(logDir, "logDir");
    requirePositive(postUpdateTimeout, "--post-update-timeout");
    requirePositive(healthTimeout, "--health-timeout");
    Objects.requireNonNull(healthInterval, "healthInterval");
    if (healthInterval.isNegative()) {
      throw new IllegalArgumentException("--health-interval must not be negative");
    }
    if (healthRetries < 1) {
      throw new IllegalArgumentException("--health-retries must be at least 1");
    }
    if (maxAttempts != null && maxAttempts < 1) {
      throw new IllegalArgumentException("--max-attempts must be at least 1");
    }
  }

  /** No hooks, no health check: a checkout that verifies is a success. */
  public static ApplySettings none(Path logDir) {
    return new ApplySettings(
        Optional.empty(),
        DEFAULT_HOOK_TIMEOUT,
        Optional.empty(),
        true,
        Optional.empty(),
        DEFAULT_HEALTH_TIMEOUT,
        DEFAULT_HEALTH_RETRIES,
        DEFAULT_HEALTH_INTERVAL,
        null,
        logDir);
  }

  private static void requirePositive(Duration duration, String what) {
    Objects.requireNonNull(duration, what);
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException(what + " must be positive");
    }
  }

  public ApplySettings withPostUpdate(HookCommand hook) {
    return new ApplySettings(
        Optional.of(hook),
        postUpdateTimeout,
        restart,
        boot,
        healthCheck,
        healthTimeout,
        healthRetries,
        healthInterval,
        maxAttempts,
        logDir);
  }

  public ApplySettings withHealthCheck(
      HealthCheck check, Duration timeout, int retries, Duration interval) {
    return new ApplySettings(
        postUpdate,
        postUpdateTimeout,
        restart,
        boot,
        Optional.of(check),
        timeout,
        retries,
        interval,
        maxAttempts,
        logDir);
  }

  public ApplySettings withPostUpdateTimeout(Duration timeout) {
    return new ApplySettings(
        postUpdate,
        timeout,
        restart,
        boot,
        healthCheck,
        healthTimeout,
        healthRetries,
        healthInterval,
        maxAttempts,
        logDir);
  }

  public ApplySettings withMaxAttempts(Integer attempts) {
    return new ApplySettings(
        postUpdate,
        postUpdateTimeout,
        restart,
        boot,
        healthCheck,
        healthTimeout,
        healthRetries,
        healthInterval,
        attempts,
        logDir);
  }

  /** A health check: a command that must exit 0, or an http(s) URL that must answer 2xx. */
  public record HealthCheck(Optional<HookCommand> command, Optional<URI> url) {

    public HealthCheck {
      if (command.isPresent() == url.isPresent()) {
        throw new IllegalArgumentException("a health check is either a command or a URL");
      }
    }

    /** An http(s) URL becomes a URL check; anything else is a command. */
    public static HealthCheck parse(String text, boolean shell) {
      String lower = text.strip().toLowerCase(Locale.ROOT);
      if (lower.startsWith("http://") || lower.startsWith("https://")) {
        return new HealthCheck(Optional.empty(), Optional.of(URI.create(text.strip())));
      }
      return new HealthCheck(Optional.of(new HookCommand(text, shell)), Optional.empty());
    }

    @Override
    public String toString() {
      return command.map(HookCommand::text).orElseGet(() -> url.orElseThrow().toString());
    }
  }
}
