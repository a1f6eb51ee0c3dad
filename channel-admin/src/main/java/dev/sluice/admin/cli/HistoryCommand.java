package dev.sluice.admin.cli;

import dev.sluice.admin.history.HistoryEntry;
import dev.sluice.admin.history.HistoryService;
import dev.sluice.core.json.Json;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code history}: releases and promotions read back from the tags, newest first. */
@Command(
    name = "history",
    mixinStandardHelpOptions = true,
    header = "List releases and promotions read back from the tags, newest first.",
    description = {
      "Lists preprod releases and promotions to stable, newest first, as recorded in their tags:"
          + " version, commit, when, who, the soak actually served and any override with its"
          + " reason."
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
