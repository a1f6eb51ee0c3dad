package dev.sluice.admin.cli;

import dev.sluice.admin.AdminException;
import dev.sluice.admin.git.RemoteAccess;
import java.nio.file.Path;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** {@code --remote} and {@code --cache}, accepted before or after the subcommand. */
final class RemoteOptions {

  @Option(
      names = "--remote",
      paramLabel = "URL",
      scope = ScopeType.INHERIT,
      description = "The git remote to manage (file://, ssh or https; token in SLUICE_GIT_TOKEN).")
  String remote;

  @Option(
      names = "--cache",
      paramLabel = "DIR",
      scope = ScopeType.INHERIT,
      description =
          "The local cache clone (safe to delete). Default: "
              + "$XDG_CACHE_HOME/sluice/admin/<hash of URL>, else ~/.cache/sluice/admin/...")
  Path cache;

  RemoteAccess access(Wiring wiring) {
    if (remote == null || remote.isBlank()) {
      throw new AdminException.Usage("no remote given: use --remote URL");
    }
    return RemoteAccess.of(remote, cache, wiring.env(), wiring.home());
  }
}
