package dev.sluice.web.http;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;

/**
 * Logs at most one line per interval and counts the lines it swallowed, so that a flood of junk
 * reports cannot flood the log.
 */
final class RateLimitedLog {

  private final Logger log;
  private final Clock clock;
  private final Duration interval;
  private Instant next = Instant.MIN;
  private long suppressed;

  RateLimitedLog(Logger log, Clock clock, Duration interval) {
    this.log = log;
    this.clock = clock;
    this.interval = interval;
  }

  synchronized void warn(String format, Object... arguments) {
    Instant now = clock.instant();
    if (now.isBefore(next)) {
      suppressed++;
      return;
    }
    if (suppressed > 0) {
      log.warn("{} similar messages suppressed", suppressed);
      suppressed = 0;
    }
    log.warn(format, arguments);
    next = now.plus(interval);
  }
}
