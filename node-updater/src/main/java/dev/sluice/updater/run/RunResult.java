package dev.sluice.updater.run;

import dev.sluice.core.report.NodeReport;
import java.util.Objects;

/** A finished run: its report and the exit code the command returns. */
public record RunResult(NodeReport report, int exitCode) {

  public RunResult {
    Objects.requireNonNull(report, "report");
  }
}
