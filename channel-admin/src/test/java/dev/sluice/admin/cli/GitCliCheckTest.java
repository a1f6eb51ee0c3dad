package dev.sluice.admin.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.testing.TestRemote;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.lib.ObjectId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checks the result the way a user would: with the plain git command line. */
class GitCliCheckTest {

  private static final Instant RELEASED = Instant.parse("2026-11-01T10:00:00Z");

  @TempDir Path tmp;

  @Test
  void freshCloneShowsMasterAtTheNewTagAndDescribeNamesIt() throws Exception {
    try (TestRemote remote = TestRemote.create(tmp)) {
      Cli cli = new Cli(tmp);
      ObjectId released = remote.commit("development", "feature", Map.of("app.txt", "1\n"));
      assertThat(
              cli.run("--remote", remote.uri(), "--now", RELEASED.toString(), "release", "1.0.0")
                  .code())
          .isZero();
      remote.commit("preprod", "moved on after the release", Map.of("b.txt", "b\n"));
      Cli.Result promote =
          cli.run(
              "--remote",
              remote.uri(),
              "--now",
              RELEASED.plus(Duration.ofDays(7)).toString(),
              "promote");
      assertThat(promote.code()).as(promote.toString()).isZero();

      Path home = Files.createDirectories(tmp.resolve("git-home"));
      Path clone = tmp.resolve("clone");
      git(home, tmp, "clone", "--quiet", remote.uri(), clone.toString());

      assertThat(git(home, clone, "rev-parse", "--abbrev-ref", "HEAD")).isEqualTo("master");
      assertThat(git(home, clone, "rev-parse", "HEAD")).isEqualTo(released.name());
      assertThat(git(home, clone, "describe", "--tags")).isEqualTo("v1.0.0");
      assertThat(git(home, clone, "describe", "--tags", "origin/preprod")).startsWith("v1.0.0-1-g");
      assertThat(git(home, clone, "cat-file", "-t", "v1.0.0")).isEqualTo("tag");
      assertThat(git(home, clone, "tag", "-l", "--format=%(contents)", "v1.0.0"))
          .contains("Sluice-Soak-Served: PT168H");
      assertThat(git(home, clone, "rev-list", "-n", "1", "v1.0.0_pre")).isEqualTo(released.name());
    }
  }

  private static String git(Path home, Path dir, String... args)
      throws IOException, InterruptedException {
    List<String> command = new java.util.ArrayList<>(List.of("git"));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
    builder.redirectErrorStream(true);
    Map<String, String> env = builder.environment();
    env.put("GIT_CONFIG_NOSYSTEM", "1");
    env.put("HOME", home.toString());
    env.put("XDG_CONFIG_HOME", home.resolve(".config").toString());
    env.remove("GIT_DIR");
    env.remove("GIT_WORK_TREE");
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as("git %s: %s", args, output).isZero();
    return output.strip();
  }
}
