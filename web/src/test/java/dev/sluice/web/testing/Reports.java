package dev.sluice.web.testing;

import dev.sluice.core.json.Json;
import dev.sluice.core.report.Action;
import dev.sluice.core.report.NodeReport;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Builds node reports for tests: a healthy stable node unless told otherwise. */
public final class Reports {

  public static final String COMMIT_A = "a".repeat(40);
  public static final String COMMIT_B = "b".repeat(40);
  public static final String COMMIT_C = "c".repeat(40);

  private String node = UUID.randomUUID().toString();
  private String channel = "stable";
  private List<String> groups = List.of();
  private Double ticket = 0.5;
  private double weight = 0.07;
  private String targetCommit = COMMIT_A;
  private String previousCommit = COMMIT_A;
  private String currentCommit = COMMIT_A;
  private String version = "v1.0.0";
  private Action action = Action.UNCHANGED;
  private String message = "already on the channel's commit";
  private NodeReport.Reason reason;
  private Instant finishedAt = Instant.parse("2026-11-20T12:00:00Z");
  private String name;
  private String remote;

  private Reports() {}

  public static Reports report() {
    return new Reports();
  }

  /** A node id made from a number, so tests can name and order nodes. */
  public static String nodeId(int n) {
    return String.format("00000000-0000-4000-8000-%012d", n);
  }

  public Reports node(String id) {
    this.node = id;
    return this;
  }

  public Reports node(int n) {
    return node(nodeId(n));
  }

  public Reports preprod() {
    this.channel = "preprod";
    this.ticket = 0.01;
    return this;
  }

  public Reports groups(String... names) {
    this.groups = List.of(names);
    return this;
  }

  public Reports on(String commit, String tag) {
    this.currentCommit = commit;
    this.targetCommit = commit;
    this.version = tag;
    return this;
  }

  public Reports target(String commit) {
    this.targetCommit = commit;
    return this;
  }

  public Reports action(Action action) {
    this.action = action;
    return this;
  }

  public Reports message(String message) {
    this.message = message;
    return this;
  }

  public Reports reason(String code, String text) {
    this.reason = new NodeReport.Reason(code, text);
    return this;
  }

  public Reports finishedAt(Instant time) {
    this.finishedAt = time;
    return this;
  }

  /** The node's name (host name or --node-name). */
  public Reports name(String name) {
    this.name = name;
    return this;
  }

  /** The remote that served the node's run. */
  public Reports remote(String url) {
    this.remote = url;
    return this;
  }

  public Reports ticket(Double ticket) {
    this.ticket = ticket;
    return this;
  }

  public NodeReport build() {
    return new NodeReport(
        node,
        channel,
        channel.equals("preprod"),
        groups,
        new NodeReport.Lottery(
            ticket,
            weight,
            Instant.parse("2026-11-01T00:00:00Z"),
            Instant.parse("2026-12-01T00:00:00Z"),
            "ticket " + ticket),
        new NodeReport.Target(
            channel.equals("preprod") ? "preprod" : "master", targetCommit, version),
        previousCommit,
        currentCommit,
        version,
        action,
        message,
        reason,
        null,
        List.of(),
        finishedAt.minusSeconds(5),
        finishedAt,
        name,
        name == null ? null : "1.4.0",
        remote);
  }

  public String json() {
    return Json.write(build());
  }
}
