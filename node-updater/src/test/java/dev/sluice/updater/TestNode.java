package dev.sluice.updater;

import dev.sluice.core.git.GitIsolation;
import dev.sluice.updater.run.RunRequest;
import dev.sluice.updater.run.RunResult;
import dev.sluice.updater.run.RunService;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Random;
import java.util.function.UnaryOperator;
import java.util.random.RandomGenerator;
import org.eclipse.jgit.lib.NullProgressMonitor;

/**
 * One simulated node for tests: its own workdir and state file, a settable clock, counted draws.
 */
public final class TestNode {

  public final Path workdir;
  public final Path state;
  public final String remote;
  private final MutableClock clock;
  private final CountingRandom random;

  public TestNode(Path dir, String remote, Instant start, long seed) {
    GitIsolation.install();
    this.workdir = dir.resolve("workdir");
    this.state = dir.resolve("state").resolve("state.db");
    this.remote = remote;
    this.clock = new MutableClock(start);
    this.random = new CountingRandom(new Random(seed));
  }

  public RunRequest request() {
    return RunRequest.defaults(workdir, remote, state);
  }

  public RunResult run() {
    return run(UnaryOperator.identity());
  }

  public RunResult run(UnaryOperator<RunRequest> customise) {
    return new RunService(clock, random, NullProgressMonitor.INSTANCE)
        .run(customise.apply(request()));
  }

  public Instant now() {
    return clock.instant();
  }

  public void advance(Duration duration) {
    clock.now = clock.now.plus(duration);
  }

  public void setNow(Instant instant) {
    clock.now = instant;
  }

  /** How many lottery tickets have been drawn. */
  public int draws() {
    return random.draws;
  }

  /** Makes the next draws return this value (for choosing a channel by ticket). */
  public void nextTicket(double value) {
    random.forced = value;
  }

  private static final class MutableClock extends Clock {
    Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  private static final class CountingRandom implements RandomGenerator {
    final RandomGenerator delegate;
    int draws;
    Double forced;

    CountingRandom(RandomGenerator delegate) {
      this.delegate = delegate;
    }

    @Override
    public long nextLong() {
      return delegate.nextLong();
    }

    @Override
    public double nextDouble() {
      draws++;
      return forced != null ? forced : delegate.nextDouble();
    }
  }
}
