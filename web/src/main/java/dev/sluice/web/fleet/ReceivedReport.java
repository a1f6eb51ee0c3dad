package dev.sluice.web.fleet;

import dev.sluice.core.report.NodeReport;
import java.time.Instant;
import java.util.Objects;

/**
 * A validated report, when the dashboard received it (on the dashboard's clock), the key whose
 * signature over it was verified (null for an unsigned report) and the sequence number the node
 * signed with it (null when the report has none).
 */
public record ReceivedReport(
    NodeReport report, Instant receivedAt, ReportSigner signer, Long sequence) {
  public ReceivedReport {
    Objects.requireNonNull(report, "report");
    Objects.requireNonNull(receivedAt, "receivedAt");
    if (sequence != null && sequence < 1) {
      throw new IllegalArgumentException("a report's sequence number starts at 1");
    }
  }

  /** A report without a sequence number. */
  public ReceivedReport(NodeReport report, Instant receivedAt, ReportSigner signer) {
    this(report, receivedAt, signer, null);
  }

  /** An unsigned report. */
  public ReceivedReport(NodeReport report, Instant receivedAt) {
    this(report, receivedAt, null, null);
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
