package dev.sluice.web.fleet;

import dev.sluice.core.report.NodeReport;
import java.time.Instant;
import java.util.Objects;

/**
 * A validated report, when the dashboard received it (on the dashboard's clock) and the key whose
 * signature over it was verified (null for an unsigned report).
 */
public record ReceivedReport(NodeReport report, Instant receivedAt, ReportSigner signer) {
  public ReceivedReport {
    Objects.requireNonNull(report, "report");
    Objects.requireNonNull(receivedAt, "receivedAt");
  }

  /** An unsigned report. */
  public ReceivedReport(NodeReport report, Instant receivedAt) {
    this(report, receivedAt, null);
  }

  /** When the run finished, or when the report arrived if the node did not say. */
  public Instant finishedAt() {
    return report.finishedAt() == null ? receivedAt : report.finishedAt();
  }

  /** The version label shown in charts: the tag, else the short commit, else {@code none}. */
  public String label() {
    return label(report.version(), report.currentCommit());
  }

  static String label(String version, String commit) {
    if (version != null && !version.isBlank()) {
      return version;
    }
    return commit == null ? "none" : commit.substring(0, 12);
  }
}
