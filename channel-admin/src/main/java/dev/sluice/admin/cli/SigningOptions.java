package dev.sluice.admin.cli;

import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** {@code --sign-key}, {@code --no-sign}: how the tags and policy commits are signed. */
final class SigningOptions {

  @Option(
      names = "--sign-key",
      paramLabel = "KEY",
      scope = ScopeType.INHERIT,
      description =
          "Sign tags and policy commits with this key: an SSH key file (private, or .pub of an"
              + " agent key), key::<ssh public key>, or an OpenPGP key id (default: git config"
              + " user.signingKey; format from gpg.format).")
  String signKey;

  @Option(
      names = "--no-sign",
      scope = ScopeType.INHERIT,
      description =
          "Write unsigned tags and policy commits even when a signing key is configured (nodes"
              + " with a trust file will not run them).")
  boolean noSign;
}
