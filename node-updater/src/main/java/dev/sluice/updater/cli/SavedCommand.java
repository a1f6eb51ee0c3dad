package dev.sluice.updater.cli;

import dev.sluice.cli.OutputOptions;
import dev.sluice.core.json.Json;
import dev.sluice.updater.git.SavedWork;
import dev.sluice.updater.git.SavedWorkEntry;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code node-updater saved}: the local work a run saved before a checkout, and how to get it. */
@Command(
    name = "saved",
    mixinStandardHelpOptions = true,
    description =
        "List the local work kept under refs/sluice/saved/ (newest first): when, which files,"
            + " and the command that restores it. Reads only; no network, no state lock.")
public final class SavedCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--workdir",
      paramLabel = "DIR",
      required = true,
      description = "The node's working tree.")
  Path workdir;

  @Override
  public Integer call() {
    List<SavedWorkEntry> entries = SavedWork.list(workdir);
    PrintWriter out = spec.commandLine().getOut();
    if (OutputOptions.json(spec)) {
      out.println(Json.writePretty(entries));
      return 0;
    }
    if (entries.isEmpty()) {
      out.println("no saved work in " + workdir);
      return 0;
    }
    for (SavedWorkEntry entry : entries) {
      out.println(
          entry.ref() + "  saved " + entry.savedAt() + "  " + entry.files().size() + " file(s)");
      for (String file : entry.files()) {
        out.println("    " + file);
      }
      out.println("  restore all:  " + entry.restore());
      out.println(
          "  one file:     git -C "
              + SavedWork.quote(workdir)
              + " checkout "
              + entry.ref()
              + " -- PATH   (an untracked one: "
              + entry.ref()
              + "^3)");
    }
    return 0;
  }
}
