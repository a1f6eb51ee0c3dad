package dev.sluice.web.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.web.testing.MutableClock;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

class RateLimitedLogTest {

  private final List<String> lines = new ArrayList<>();

  /** A logger that records each warn call as "format args". */
  private Logger recorder() {
    return (Logger)
        Proxy.newProxyInstance(
            Logger.class.getClassLoader(),
            new Class<?>[] {Logger.class},
            (proxy, method, args) -> {
              if (method.getName().equals("warn")) {
                lines.add(
                    args.length == 1
                        ? String.valueOf(args[0])
                        : args[0]
                            + " "
                            + Arrays.deepToString(Arrays.copyOfRange(args, 1, args.length)));
              }
              return method.getReturnType() == boolean.class ? Boolean.TRUE : null;
            });
  }

  @Test
  void logsOneLinePerIntervalAndCountsTheRest() {
    MutableClock clock = new MutableClock(Instant.parse("2026-11-20T12:00:00Z"));
    RateLimitedLog log = new RateLimitedLog(recorder(), clock, Duration.ofSeconds(10));

    log.warn("rejected {}", "a");
    log.warn("rejected {}", "b");
    log.warn("rejected {}", "c");
    clock.advance(Duration.ofSeconds(10));
    log.warn("rejected {}", "d");

    assertThat(lines).hasSize(3);
    assertThat(lines.get(0)).contains("rejected {}", "a");
    assertThat(lines.get(1)).contains("similar messages suppressed", "2");
    assertThat(lines.get(2)).contains("d");
  }
}
