package dev.sluice.updater.fault;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real {@code git} command line, for checking what node-updater left behind with a second
 * implementation. It reads no system or user configuration: {@code GIT_CONFIG_NOSYSTEM}, a private
 * {@code HOME}, and none of the caller's {@code GIT_*} variables.
 */
final class GitCli {

  /** What one git command did. */
  record Result(int exitCode, String out, String err) {
    boolean ok() {
      return exitCode == 0;
    }
  }

  private final Path home;

  GitCli(Path home) {
    this.home = home;
    try {
      Files.createDirectories(home);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs git in a directory and returns its standard output, failing the test on an error. */
  String run(Path dir, String... args) {
    Result result = tryRun(dir, args);
    if (!result.ok()) {
      throw new AssertionError(
          "git "
              + String.join(" ", args)
              + " in "
              + dir
              + " exited "
              + result.exitCode()
              + ": "
              + result.err().strip());
    }
    return result.out();
  }

  /** Runs git in a directory; never throws for a non-zero exit. */
  Result tryRun(Path dir, String... args) {
    List<String> command = new ArrayList<>();
    command.add("git");
    command.add("--no-optional-locks");
    command.add("-C");
    command.add(dir.toString());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    Map<String, String> env = builder.environment();
    env.keySet().removeIf(name -> name.startsWith("GIT_"));
    env.put("GIT_CONFIG_NOSYSTEM", "1");
    env.put("GIT_TERMINAL_PROMPT", "0");
    env.put("HOME", home.toString());
    env.put("XDG_CONFIG_HOME", home.resolve(".config").toString());
    env.put("LC_ALL", "C");
    try {
      Path out = Files.createTempFile(home, "git", ".out");
      Path err = Files.createTempFile(home, "git", ".err");
      try {
        Process process =
            builder
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          throw new AssertionError("git " + String.join(" ", args) + " did not finish in 60 s");
        }
        return new Result(
            process.exitValue(),
            Files.readString(out, StandardCharsets.UTF_8),
            Files.readString(err, StandardCharsets.UTF_8));
      } finally {
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while running git", e);
    }
  }
}
