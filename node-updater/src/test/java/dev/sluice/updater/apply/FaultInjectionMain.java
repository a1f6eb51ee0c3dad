package dev.sluice.updater.apply;

import dev.sluice.core.git.GitIsolation;
import dev.sluice.updater.run.RunRequest;
import dev.sluice.updater.run.RunService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.jgit.lib.NullProgressMonitor;
import org.eclipse.jgit.lib.ProgressMonitor;

/**
 * A node-updater run in a child JVM that stops dead at a chosen point so a test can SIGKILL it
 * there: {@code workdir remote state point marker [hook] [health]}. The point is a journal step
 * name (the run stops right after the step is recorded) or {@code CHECKOUT} (stops in the middle of
 * writing files). When it reaches the point it writes the marker file and sleeps.
 */
public final class FaultInjectionMain {

  private FaultInjectionMain() {}

  public static void main(String[] args) {
    GitIsolation.install();
    Path workdir = Path.of(args[0]);
    String remote = args[1];
    Path state = Path.of(args[2]);
    String point = args[3];
    Path marker = Path.of(args[4]);
    ApplySettings settings = ApplySettings.none(RunRequest.defaultLogDir(state));
    if (args.length > 5 && !args[5].isEmpty()) {
      settings = settings.withPostUpdate(new HookCommand(args[5], false));
    }
    if (args.length > 6 && !args[6].isEmpty()) {
      settings =
          settings.withHealthCheck(
              ApplySettings.HealthCheck.parse(args[6], false),
              Duration.ofMinutes(5),
              1,
              Duration.ZERO);
    }
    ApplyListener listener =
        step -> {
          if (step.name().equals(point)) {
            stopHere(marker);
          }
        };
    ProgressMonitor progress =
        point.equals("CHECKOUT") ? new StopMidCheckout(marker) : NullProgressMonitor.INSTANCE;
    RunRequest request =
        RunRequest.defaults(workdir, remote, state)
            .withApply(settings)
            .withChoice(
                new dev.sluice.core.lottery.ChannelChoice(
                    Optional.of(dev.sluice.core.channel.Channel.STABLE), false));
    new RunService(Clock.systemUTC(), new SecureRandom(), progress, listener).run(request);
    System.exit(0);
  }

  static void stopHere(Path marker) {
    try {
      Files.writeString(marker, "here");
      Thread.sleep(Long.MAX_VALUE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops after a share of the files of a checkout have been written. */
  private static final class StopMidCheckout implements ProgressMonitor {
    private final Path marker;
    private boolean checkingOut;
    private int done;

    StopMidCheckout(Path marker) {
      this.marker = marker;
    }

    @Override
    public void start(int totalTasks) {}

    @Override
    public void beginTask(String title, int totalWork) {
      checkingOut = title.toLowerCase(java.util.Locale.ROOT).contains("checking out");
      done = 0;
    }

    @Override
    public void update(int completed) {
      done += completed;
      if (checkingOut && done >= 40) {
        stopHere(marker);
      }
    }

    @Override
    public void endTask() {}

    @Override
    public boolean isCancelled() {
      return false;
    }

    @Override
    public void showDuration(boolean enabled) {}
  }
}
