package dev.sluice.admin.cli;

import dev.sluice.admin.history.HistoryEntry;
import dev.sluice.admin.history.HistoryService;
import dev.sluice.core.json.Json;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code history}: releases, promotions and rollbacks read back from the tags, newest first. */
@Command(
    name = "history",
    mixinStandardHelpOptions = true,
    header = "List releases, promotions and rollbacks read back from the tags, newest first.",
    description = {
      "Lists preprod releases, promotions to stable and rollbacks, newest first, as recorded in"
          + " their tags: version, commit, when, who, the soak actually served, any override with"
          + " its reason, and for a rollback where from and to, the dead-end and the reason. Only"
          + " tags carrying channel-admin's record are labelled release, promotion or rollback;"
          + " other release tags are listed as plain tags."
    })
final class HistoryCommand implements Callable<Integer> {

  @ParentCommand ChannelAdminCommand root;

  @Override
  public Integer call() {
    List<HistoryEntry> entries = HistoryService.withDefaultChannels().history(root.access());
    root.out().println(root.json() ? Json.writePretty(entries) : Render.history(entries));
    return ExitCodes.OK;
  }
}
