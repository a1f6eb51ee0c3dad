package dev.sluice.admin.cli;

import dev.sluice.admin.history.HistoryEntry;
import dev.sluice.admin.promote.PromoteResult;
import dev.sluice.admin.release.ReleaseResult;
import dev.sluice.admin.status.StatusReport;
import dev.sluice.core.promotion.Durations;
import dev.sluice.core.promotion.GateResult;
import dev.sluice.core.promotion.PromotionDecision;
import java.util.List;
import java.util.Locale;

/** Short human-readable output: what happened and why. */
final class Render {

  private Render() {}

  static String status(StatusReport report) {
    StringBuilder text = new StringBuilder();
    text.append("remote     ").append(report.remote()).append('\n');
    for (StatusReport.ChannelLine line : report.channels()) {
      text.append(
          String.format(
              Locale.ROOT,
              "%-10s %-10s %-9s %s%n",
              line.channel(),
              line.branch(),
              line.tip() == null ? "(missing)" : abbrev(line.tip()),
              release(line)));
    }
    for (StatusReport.ChannelLine line : report.channels()) {
      if (line.halt() != null) {
        text.append("halted     ")
            .append(line.channel())
            .append(" by its guard (")
            .append(line.halt().action())
            .append(" of ")
            .append(abbrev(line.halt().commit()))
            .append(") since ")
            .append(line.halt().at())
            .append(": ")
            .append(line.halt().reason())
            .append("; clear with: channel-admin resume ")
            .append(line.channel())
            .append(" --reason TEXT\n");
      }
    }
    text.append(
        String.format(
            Locale.ROOT,
            "preprod is %d commit%s ahead of master, %d behind%n",
            report.preprodAhead(),
            report.preprodAhead() == 1 ? "" : "s",
            report.preprodBehind()));
    PromotionDecision decision = report.promotion();
    StatusReport.Candidate candidate = report.candidate();
    if (candidate == null) {
      text.append("candidate  none (no preprod release tag)\n");
    } else {
      text.append("candidate  ")
          .append(candidate.tag())
          .append(" (")
          .append(abbrev(candidate.commit()))
          .append("), soak started ")
          .append(candidate.taggedAt())
          .append('\n');
      text.append("soak       ")
          .append(Durations.human(decision.soakRequired()))
          .append(" required, ")
          .append(Durations.human(decision.soakServed()))
          .append(" served, ")
          .append(Durations.human(decision.soakRemaining()))
          .append(" remaining (until ")
          .append(decision.soakEndsAt())
          .append(")\n");
    }
    switch (report.promote()) {
      case PROMOTE ->
          text.append("promote    would go through now (as ")
              .append(candidate.stableTag())
              .append(")");
      case ALREADY_PROMOTED ->
          text.append("promote    nothing to do: ")
              .append(candidate.tag())
              .append(" is already promoted as ")
              .append(candidate.stableTag());
      case REFUSED -> {
        text.append("promote    would be refused:");
        for (GateResult failure : decision.failures()) {
          text.append("\n  - ").append(failure.code()).append(": ").append(failure.text());
        }
      }
    }
    return text.toString();
  }

  /** The channel's release as nodes see it: the tag, commits since, and what it tracks. */
  private static String release(StatusReport.ChannelLine line) {
    String text =
        line.release() == null
            ? line.tip() == null ? "" : "no release yet"
            : line.release()
                + (line.commitsSinceRelease() == 0
                    ? ""
                    : " +"
                        + line.commitsSinceRelease()
                        + " commit"
                        + (line.commitsSinceRelease() == 1 ? "" : "s"))
                + "  "
                + line.releasedAt();
    return "tag".equals(line.track()) ? text + "  (nodes track the newest tag)" : text;
  }

  static String release(ReleaseResult result) {
    return "released "
        + result.tag()
        + ": "
        + result.branch()
        + " "
        + (result.previousPreprod() == null ? "(new)" : abbrev(result.previousPreprod()))
        + " -> "
        + abbrev(result.commit())
        + " (from "
        + result.from()
        + (result.forced() ? ", forced" : "")
        + "); soak started "
        + result.soakStart();
  }

  static String promote(PromoteResult result) {
    StringBuilder text = new StringBuilder(result.message());
    PromotionDecision decision = result.decision();
    if (decision != null) {
      text.append("\nsoak served ")
          .append(Durations.human(decision.soakServed()))
          .append(" of ")
          .append(Durations.human(decision.soakRequired()));
      if (decision.soakOverridden()) {
        text.append(" (soak overridden: ").append(decision.overrideReason()).append(')');
      }
      if (result.outcome() == PromoteResult.Outcome.WOULD_PROMOTE) {
        for (GateResult gate : decision.gates()) {
          text.append("\n  ")
              .append(gate.outcome().id())
              .append(' ')
              .append(gate.gate().id())
              .append(": ")
              .append(gate.text());
        }
      }
    }
    return text.toString();
  }

  static String history(List<HistoryEntry> entries) {
    if (entries.isEmpty()) {
      return "no releases yet";
    }
    StringBuilder text = new StringBuilder();
    for (HistoryEntry entry : entries) {
      if (text.length() > 0) {
        text.append('\n');
      }
      if (entry.kind() == HistoryEntry.Kind.ROLLBACK) {
        text.append(
            String.format(
                Locale.ROOT,
                "%s  %-9s  %-7s %s -> %s  %s -> %s  dead-end %s  reason: %s",
                entry.time(),
                entry.kind().id(),
                entry.channel(),
                entry.from(),
                entry.to(),
                abbrev(entry.commit()),
                abbrev(entry.toCommit()),
                entry.deadend(),
                entry.reason()));
        if (entry.by() != null) {
          text.append("  by ").append(entry.by());
        }
        continue;
      }
      text.append(
          String.format(
              Locale.ROOT,
              "%s  %-9s  %-14s %s",
              entry.time(),
              entry.kind().id(),
              entry.tag(),
              abbrev(entry.commit())));
      if (entry.kind() == HistoryEntry.Kind.RELEASE && entry.from() != null) {
        text.append("  from ").append(entry.from());
        if (Boolean.TRUE.equals(entry.forced())) {
          text.append(" (forced)");
        }
      }
      if (entry.soakServed() != null) {
        text.append("  soak ")
            .append(Durations.human(entry.soakServed()))
            .append(" of ")
            .append(Durations.human(entry.soakRequired()));
      }
      if (entry.overrideReason() != null) {
        text.append("  override: ").append(entry.overrideReason());
      }
      if (entry.by() != null) {
        text.append("  by ").append(entry.by());
      }
      if (!entry.recorded()) {
        text.append("  (tag not made by channel-admin)");
      }
    }
    return text.toString();
  }

  private static String abbrev(String id) {
    return id.substring(0, Math.min(8, id.length()));
  }
}
