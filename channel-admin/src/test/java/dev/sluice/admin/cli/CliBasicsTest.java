package dev.sluice.admin.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliBasicsTest {

  @TempDir Path tmp;

  @Test
  void helpListsCommandsAndExitCodes() {
    Cli.Result result = new Cli(tmp).runExactly("--help");

    assertThat(result.code()).isZero();
    assertThat(result.out())
        .contains("status", "release", "promote", "history", "--remote=URL", "--now=T", "--json")
        .contains("Exit codes:")
        .contains("3   refused by a gate")
        .contains("4   the remote rejected the push");
  }

  @Test
  void subcommandHelpShowsInheritedOptions() {
    Cli.Result result = new Cli(tmp).runExactly("promote", "--help");

    assertThat(result.code()).isZero();
    assertThat(result.out())
        .contains("--override-soak", "--reason=TEXT", "--health=URL", "--soak=DURATION")
        .contains("--remote=URL", "--cache=DIR");
  }

  @Test
  void versionIsPrinted() {
    Cli.Result result = new Cli(tmp).runExactly("--version");

    assertThat(result.code()).isZero();
    assertThat(result.out()).startsWith("channel-admin ");
  }

  @Test
  void bashCompletionIsGenerated() {
    Cli.Result result = new Cli(tmp).runExactly("generate-completion");

    assertThat(result.code()).isZero();
    assertThat(result.out()).contains("complete -F").contains("channel-admin").contains("promote");
  }

  @Test
  void unknownOptionIsBadUsage() {
    Cli.Result result = new Cli(tmp).runExactly("promote", "--frobnicate");

    assertThat(result.code()).isEqualTo(2);
    assertThat(result.err()).contains("Unknown option: '--frobnicate'");
  }

  @Test
  void malformedNowIsBadUsage() {
    Cli.Result result = new Cli(tmp).run("--now", "yesterday", "status", "--remote", "x");

    assertThat(result.code()).isEqualTo(2);
    assertThat(result.err()).contains("'yesterday' is not an ISO-8601 instant");
  }

  @Test
  void malformedSoakIsBadUsage() {
    Cli.Result result = new Cli(tmp).run("promote", "--soak", "7 days", "--remote", "x");

    assertThat(result.code()).isEqualTo(2);
    assertThat(result.err()).contains("'7 days' is not an ISO-8601 duration");
  }

  @Test
  void missingSubcommandIsBadUsage() {
    Cli.Result result = new Cli(tmp).runExactly("--remote", "x");

    assertThat(result.code()).isEqualTo(2);
    assertThat(result.err()).contains("Missing subcommand");
  }
}
