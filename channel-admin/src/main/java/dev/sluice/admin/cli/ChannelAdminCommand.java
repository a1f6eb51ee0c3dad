package dev.sluice.admin.cli;

import dev.sluice.admin.git.Operator;
import dev.sluice.admin.git.OperatorIdentity;
import dev.sluice.admin.git.RemoteAccess;
import dev.sluice.admin.git.Signing;
import dev.sluice.cli.ClockOption;
import dev.sluice.cli.ManifestVersion;
import dev.sluice.cli.OutputOptions;
import dev.sluice.core.git.GitIsolation;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.Objects;
import java.util.function.Supplier;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code channel-admin}: the operators' tool for Sluice's release channels. */
@Command(
    name = "channel-admin",
    mixinStandardHelpOptions = true,
    versionProvider = ManifestVersion.class,
    sortOptions = false,
    description = {
      "Shows channel status, cuts preprod releases, promotes soaked releases to stable, rolls a"
          + " channel back, reads the history back, and edits the rollout policy, all as git"
          + " commits, tags and atomic pushes.",
      "Flow: development -> release -> preprod + vX.Y.Z_pre -> soak -> promote -> master + vX.Y.Z"
    },
    subcommands = {
      StatusCommand.class,
      ReleaseCommand.class,
      PromoteCommand.class,
      RollbackCommand.class,
      HistoryCommand.class,
      PolicyCommand.class,
      PauseCommand.class,
      ResumeCommand.class,
      DeadendCommand.class,
      BarrierCommand.class,
      RolloutCommand.class,
      FreezeCommand.class,
      ExplainCommand.class,
      AutoComplete.GenerateCompletion.class
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:done (with --dry-run: would be done; also: already promoted)",
      "1:failed: remote unreachable, git or cache error",
      "2:bad usage: unknown option, not a full version, unknown ref, no operator identity"
          + " (git config user.name/user.email, GIT_COMMITTER_*, --as); or the rollout policy is"
          + " invalid (every error is listed)",
      "3:refused by a gate (soak, fast-forward, pause, dead-end, health, tag exists, not"
          + " newer; rollback: not an earlier release of the channel); every reason is listed",
      "4:the remote rejected the push (someone else moved a ref first); nothing was changed"
    })
public final class ChannelAdminCommand implements Runnable {

  @Spec CommandSpec spec;

  @Mixin RemoteOptions remote;

  @Mixin ClockOption clock;

  @Mixin OutputOptions output;

  @Mixin IdentityOption identity;

  @Mixin SigningOptions signing;

  private Supplier<Operator> operator;

  private final Wiring wiring;

  ChannelAdminCommand(Wiring wiring) {
    this.wiring = Objects.requireNonNull(wiring, "wiring");
  }

  public static void main(String... args) {
    System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
  }

  /** Runs channel-admin with these arguments, printing to {@code out} and {@code err}. */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    return run(Wiring.system(), out, err, args);
  }

  static int run(Wiring wiring, PrintWriter out, PrintWriter err, String... args) {
    GitIsolation.install();
    CommandLine commandLine =
        Errors.handler()
            .install(new CommandLine(new ChannelAdminCommand(wiring)))
            .setOut(out)
            .setErr(err);
    int code = commandLine.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(),
        "Missing subcommand: status, release, promote, rollback, history, policy, pause,"
            + " resume, deadend, barrier, rollout, freeze or explain");
  }

  Wiring wiring() {
    return wiring;
  }

  RemoteAccess access() {
    return remote.access(wiring);
  }

  Clock clock() {
    return ClockOption.clock(spec);
  }

  boolean json() {
    return OutputOptions.json(spec);
  }

  /**
   * Who makes the tags and commits, found on first use so that commands that write nothing never
   * need an identity.
   */
  Supplier<Operator> operator() {
    if (operator == null) {
      OperatorIdentity source =
          new OperatorIdentity(wiring.env(), wiring.home(), wiring.cwd(), identity.as);
      Operator[] found = new Operator[1];
      operator =
          () -> {
            if (found[0] == null) {
              found[0] = source.require().withSigning(signing());
            }
            return found[0];
          };
    }
    return operator;
  }

  /** How this operator signs, from git config and the command line; says so when it does not. */
  private Signing signing() {
    Signing found =
        Signing.resolve(
            new OperatorIdentity(wiring.env(), wiring.home(), wiring.cwd(), identity.as).configs(),
            wiring.env(),
            signing.signKey,
            signing.noSign,
            wiring.home(),
            wiring.cwd());
    if (!found.enabled() && !signing.noSign) {
      err()
          .println(
              "warning: no signing key (git config user.signingKey, or --sign-key): tags and"
                  + " policy commits are written unsigned, and nodes with a trust file will not"
                  + " run them");
    }
    return found;
  }

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  PrintWriter err() {
    return spec.commandLine().getErr();
  }
}
