package dev.sluice.admin.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code policy show|validate|set|unset}: the rollout policy on the {@code rollout-policy} branch.
 */
@Command(
    name = "policy",
    mixinStandardHelpOptions = true,
    header =
        "Show, validate, change or unset the rollout policy (channels.json on rollout-policy).",
    description = {
      "Shows, validates or changes the rollout policy (channels.json on the rollout-policy"
          + " branch). A remote without that branch runs on the built-in defaults."
    },
    subcommands = {
      PolicyShowCommand.class,
      PolicyValidateCommand.class,
      PolicySetCommand.class,
      PolicyUnsetCommand.class
    })
final class PolicyCommand implements Runnable {

  @ParentCommand ChannelAdminCommand root;

  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "Missing subcommand: show, validate, set or unset");
  }
}
