package dev.sluice.core.report;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The outcome of one {@code node-updater run}: what {@code run --json} prints and what a node
 * reports to the fleet dashboard.
 *
 * @param node the node's stable id (a UUID made on first run)
 * @param channel {@code stable} or {@code preprod}
 * @param preprod whether the node rides preprod
 * @param groups the node's groups as given with {@code --group}
 * @param lottery the ticket and how it decided the channel
 * @param target the ref and commit the channel points at (null when it could not be read)
 * @param previousCommit the commit checked out before the run (null on a first install)
 * @param currentCommit the commit checked out after the run (null if nothing is installed)
 * @param version the release tag on the current commit, if any
 * @param action what the run did
 * @param message one line saying what happened
 * @param reason why the node was held or failed, in machine-readable form (null otherwise)
 * @param savedLocalChanges where local changes were saved before a checkout (null if none)
 * @param warnings anything the operator should know that did not stop the run
 * @param startedAt when the run started (on the run's clock)
 * @param finishedAt when the run finished (on the run's clock)
 * @param name the name operators know the node by: its host name, or {@code --node-name} (null from
 *     an older node-updater)
 * @param updaterVersion the node-updater version that made the report (null from an older one)
 * @param remote the remote that answered this run, without credentials: the configured one or a
 *     fallback (null when none answered)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record NodeReport(
    String node,
    String channel,
    boolean preprod,
    List<String> groups,
    Lottery lottery,
    Target target,
    String previousCommit,
    String currentCommit,
    String version,
    Action action,
    String message,
    Reason reason,
    String savedLocalChanges,
    List<String> warnings,
    Instant startedAt,
    Instant finishedAt,
    String name,
    String updaterVersion,
    String remote) {

  /**
   * The version of the report format a node sends as the top-level {@code "schema"} field (added by
   * the sender, not part of this record). A dashboard refuses a report newer than it reads. Version
   * 2 added {@link #SEQUENCE_FIELD} and {@link #SENT_AT_FIELD}.
   */
  public static final int SCHEMA_VERSION = 2;

  /** The name of the top-level field that carries {@link #SCHEMA_VERSION}. */
  public static final String SCHEMA_FIELD = "schema";

  /**
   * The top-level field (schema 2) with the report's sequence number: rises with every report a
   * node sends, so that the dashboard can refuse a captured report sent again.
   */
  public static final String SEQUENCE_FIELD = "sequence";

  /** The top-level field (schema 2) with the time the report was sent, on the node's clock. */
  public static final String SENT_AT_FIELD = "sentAt";

  public NodeReport {
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(message, "message");
    groups = groups == null ? List.of() : List.copyOf(groups);
    warnings = warnings == null ? List.of() : List.copyOf(warnings);
  }

  /** A report without the node's name, updater version and serving remote. */
  public NodeReport(
      String node,
      String channel,
      boolean preprod,
      List<String> groups,
      Lottery lottery,
      Target target,
      String previousCommit,
      String currentCommit,
      String version,
      Action action,
      String message,
      Reason reason,
      String savedLocalChanges,
      List<String> warnings,
      Instant startedAt,
      Instant finishedAt) {
    this(
        node,
        channel,
        preprod,
        groups,
        lottery,
        target,
        previousCommit,
        currentCommit,
        version,
        action,
        message,
        reason,
        savedLocalChanges,
        warnings,
        startedAt,
        finishedAt,
        null,
        null,
        null);
  }

  /** This report with the node's name, the updater's version and the remote that answered. */
  public NodeReport withIdentity(String newName, String newUpdaterVersion, String newRemote) {
    return new NodeReport(
        node,
        channel,
        preprod,
        groups,
        lottery,
        target,
        previousCommit,
        currentCommit,
        version,
        action,
        message,
        reason,
        savedLocalChanges,
        warnings,
        startedAt,
        finishedAt,
        newName,
        newUpdaterVersion,
        newRemote);
  }

  /** The lottery ticket and how it decided the channel. */
  public record Lottery(
      Double ticket, double weight, Instant drawnAt, Instant nextDrawAt, String reason) {}

  /** The ref a channel points at and the commit it names. */
  public record Target(String ref, String commit, String version) {}

  /** Why a node was held or failed: a stable code for scripts and a text for people. */
  public record Reason(String code, String text) {
    public Reason {
      Objects.requireNonNull(code, "code");
      Objects.requireNonNull(text, "text");
    }
  }
}
