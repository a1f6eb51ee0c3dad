package dev.sluice.updater.fault;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real Java process running one of node-updater's main classes with the test's class path, so
 * that a test can kill it with SIGKILL ({@link Process#destroyForcibly()} on Linux) at any moment.
 * Closing it kills the process and everything it started that is still running.
 */
final class ChildJvm implements AutoCloseable {

  /** A killed JVM's exit status: 128 + SIGKILL. */
  static final int KILLED = 137;

  private final Process process;
  private final Path stdout;
  private final Path stderr;
  private final long startedNanos;

  private ChildJvm(Process process, Path stdout, Path stderr, long startedNanos) {
    this.process = process;
    this.stdout = stdout;
    this.stderr = stderr;
    this.startedNanos = startedNanos;
  }

  /**
   * Starts {@code mainClass args} in a new JVM whose standard output and error go to {@code
   * logBase.out} and {@code logBase.err}.
   */
  static ChildJvm start(
      Path logBase, Map<String, String> env, Class<?> mainClass, List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // A short-lived run: start fast, stay small (the machine is shared).
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-XX:+UseSerialGC");
    command.add("-Xshare:auto");
    command.add("-Xmx256m");
    command.add("-cp");
    command.add(
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"))
            .replace(' ', File.pathSeparatorChar));
    command.add(mainClass.getName());
    command.addAll(args);
    Path out = logBase.resolveSibling(logBase.getFileName() + ".out");
    Path err = logBase.resolveSibling(logBase.getFileName() + ".err");
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .redirectOutput(out.toFile())
            .redirectError(err.toFile());
    builder.environment().keySet().removeIf(name -> name.startsWith("GIT_"));
    builder.environment().putAll(env);
    try {
      long started = System.nanoTime();
      return new ChildJvm(builder.start(), out, err, started);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** Milliseconds since the process was started. */
  long elapsedMillis() {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
  }

  /**
   * SIGKILLs the JVM and every process it started (hooks), and waits for it.
   *
   * @return true when the JVM was still running, i.e. it really was killed
   */
  boolean kill() {
    List<ProcessHandle> children = process.descendants().toList();
    process.destroyForcibly();
    children.forEach(ProcessHandle::destroyForcibly);
    try {
      process.waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    // Anything started between the snapshot and the kill.
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    return !process.isAlive() && process.exitValue() == KILLED;
  }

  /** Waits for the JVM to exit and returns its exit code; kills it after the timeout. */
  int waitFor(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        kill();
        throw new AssertionError(
            "child JVM did not finish in " + timeout + "; stderr: " + tail(stderr()));
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      kill();
      throw new AssertionError("interrupted while waiting for a child JVM", e);
    }
  }

  String stdout() {
    return read(stdout);
  }

  String stderr() {
    return read(stderr);
  }

  /** The last lines of a text, for failure messages. */
  static String tail(String text) {
    String[] lines = text.strip().split("\n");
    int from = Math.max(0, lines.length - 8);
    return String.join("\n    ", java.util.Arrays.copyOfRange(lines, from, lines.length));
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      kill();
    }
  }
}
