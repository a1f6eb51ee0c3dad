package dev.sluice.updater.apply;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a hook: no shell unless asked, a timeout that kills the whole process tree, and output
 * captured to a log file of bounded size whose tail is kept for messages.
 */
public final class ProcessRunner {

  /** Bytes of output kept in each log file; more is counted and dropped. */
  public static final long LOG_LIMIT = 256 * 1024;

  private static final int TAIL_BYTES = 1024;
  private static final Logger LOG = LoggerFactory.getLogger(ProcessRunner.class);

  /**
   * Runs the command to completion or timeout.
   *
   * @return its outcome; a command that cannot be started at all ends with exit code 127 and the
   *     reason in its log, like a shell reports a missing program
   */
  public ProcessOutcome run(
      List<String> argv,
      Path workdir,
      Map<String, String> environment,
      Duration timeout,
      Path log) {
    long started = System.nanoTime();
    try {
      Files.createDirectories(log.toAbsolutePath().getParent());
    } catch (IOException e) {
      // Not started, as a command that cannot be started: the caller fails the step cleanly.
      return new ProcessOutcome(
          127,
          false,
          log,
          "not started: cannot create its log folder "
              + log.toAbsolutePath().getParent()
              + ": "
              + e,
          Duration.ofNanos(System.nanoTime() - started));
    }
    Process process;
    try {
      ProcessBuilder builder =
          new ProcessBuilder(argv).directory(workdir.toFile()).redirectErrorStream(true);
      builder.environment().putAll(environment);
      process = builder.start();
    } catch (IOException e) {
      String reason = "cannot start " + argv.get(0) + ": " + e.getMessage();
      writeQuietly(log, reason + "\n");
      return new ProcessOutcome(
          127, false, log, reason, Duration.ofNanos(System.nanoTime() - started));
    }
    closeQuietly(process.getOutputStream());
    Pump pump = new Pump(process.getInputStream(), log);
    Thread pumpThread = new Thread(pump, "hook-output-" + process.pid());
    pumpThread.setDaemon(true);
    pumpThread.start();
    boolean finished;
    try {
      finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (!finished) {
        killTree(process);
      }
      pumpThread.join(2_000);
    } catch (InterruptedException e) {
      killTree(process);
      Thread.currentThread().interrupt();
      finished = false;
    }
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    int code = finished ? process.exitValue() : -1;
    LOG.debug("{} {} in {}", argv, finished ? "exited " + code : "timed out", took);
    return new ProcessOutcome(code, !finished, log, pump.tail(), took);
  }

  /**
   * Kills the process and every descendant still attached to it, and waits (a few seconds at most)
   * until they are gone: SIGKILL is delivered asynchronously.
   */
  static void killTree(Process process) {
    List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
    tree.add(process.toHandle());
    for (ProcessHandle handle : tree) {
      handle.destroyForcibly();
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    for (ProcessHandle handle : tree) {
      try {
        handle.onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (ExecutionException | TimeoutException e) {
        LOG.warn("process {} did not end after SIGKILL", handle.pid());
      }
    }
  }

  private static void writeQuietly(Path log, String text) {
    try {
      Files.writeString(log, text);
    } catch (IOException ignored) {
      // The outcome carries the reason anyway.
    }
  }

  private static void closeQuietly(OutputStream stream) {
    try {
      stream.close();
    } catch (IOException ignored) {
      // Nothing to send to the hook.
    }
  }

  /** Copies output to the log up to the limit and keeps the last bytes for the tail. */
  private static final class Pump implements Runnable {
    private final InputStream in;
    private final Path log;
    private final byte[] ring = new byte[TAIL_BYTES];
    private long total;

    Pump(InputStream in, Path log) {
      this.in = in;
      this.log = log;
    }

    @Override
    public void run() {
      byte[] buffer = new byte[8192];
      try (in;
          OutputStream out = Files.newOutputStream(log)) {
        int read;
        while ((read = in.read(buffer)) >= 0) {
          synchronized (this) {
            long room = LOG_LIMIT - total;
            if (room > 0) {
              out.write(buffer, 0, (int) Math.min(room, read));
            }
            for (int i = 0; i < read; i++) {
              ring[(int) ((total + i) % TAIL_BYTES)] = buffer[i];
            }
            total += read;
          }
        }
        if (total > LOG_LIMIT) {
          out.write(
              ("\n[sluice: output truncated, " + (total - LOG_LIMIT) + " more bytes dropped]\n")
                  .getBytes(StandardCharsets.UTF_8));
        }
      } catch (IOException e) {
        LOG.debug("hook output ended: {}", e.getMessage());
      }
    }

    synchronized String tail() {
      int length = (int) Math.min(total, TAIL_BYTES);
      byte[] last = new byte[length];
      for (int i = 0; i < length; i++) {
        last[i] = ring[(int) ((total - length + i) % TAIL_BYTES)];
      }
      String text = new String(last, StandardCharsets.UTF_8);
      List<String> lines = text.lines().toList();
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
    }
  }
}
