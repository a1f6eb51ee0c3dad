package dev.sluice.core.report;

import dev.sluice.core.git.RemoteUrls;
import java.util.List;

/**
 * A run's report with the user-info of any URL in its texts replaced by {@code ***}. The remote
 * reaches the run without its secret already (see {@link dev.sluice.core.git.RemoteAccess}); this
 * is the second wall, applied where a report is made and where an old one is read back, so that
 * nothing a program prints, stores, serves or sends can carry a token.
 */
public final class Redaction {

  private Redaction() {}

  /** The report with its message, reason and warnings redacted. */
  public static NodeReport report(NodeReport report) {
    NodeReport.Reason reason =
        report.reason() == null
            ? null
            : new NodeReport.Reason(
                report.reason().code(), RemoteUrls.redactIn(report.reason().text()));
    List<String> warnings = report.warnings().stream().map(RemoteUrls::redactIn).toList();
    return new NodeReport(
        report.node(),
        report.channel(),
        report.preprod(),
        report.groups(),
        report.lottery(),
        report.target(),
        report.previousCommit(),
        report.currentCommit(),
        report.version(),
        report.action(),
        RemoteUrls.redactIn(report.message()),
        reason,
        report.savedLocalChanges(),
        warnings,
        report.startedAt(),
        report.finishedAt(),
        report.name(),
        report.updaterVersion(),
        report.remote() == null ? null : RemoteUrls.redact(report.remote()));
  }
}
