package dev.sluice.admin.cli;

import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** {@code --as}: who makes the tags and policy commits, when git config does not say. */
final class IdentityOption {

  @Option(
      names = "--as",
      paramLabel = "\"NAME <EMAIL>\"",
      scope = ScopeType.INHERIT,
      description =
          "Who makes tags and policy commits (default: GIT_COMMITTER_NAME/EMAIL or"
              + " GIT_AUTHOR_NAME/EMAIL, else git config user.name/user.email).")
  String as;
}
