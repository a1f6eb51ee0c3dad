package dev.sluice.web.fleet;

import dev.sluice.core.json.Json;
import dev.sluice.core.report.NodeReport;
import java.util.Locale;
import java.util.Objects;

/**
 * A report with the text columns it is stored as, rendered by the thread that received it: the
 * single writer thread then only binds and executes, which keeps JSON rendering out of the one
 * serial step of ingest.
 *
 * @param json the normalised report, for {@code GET /api/nodes/{id}}
 * @param groups the node's groups as a JSON list
 * @param search what {@code GET /api/nodes?q=} searches, lower-cased
 */
record ReportRow(ReceivedReport received, String json, String groups, String search) {

  ReportRow {
    Objects.requireNonNull(received, "received");
    Objects.requireNonNull(json, "json");
    Objects.requireNonNull(groups, "groups");
    Objects.requireNonNull(search, "search");
  }

  static ReportRow of(ReceivedReport received) {
    NodeReport r = received.report();
    return new ReportRow(received, Json.write(r), Json.write(r.groups()), searchText(r));
  }

  private static String searchText(NodeReport r) {
    StringBuilder text = new StringBuilder(r.node());
    if (r.name() != null) {
      text.append('\n').append(r.name());
    }
    for (String group : r.groups()) {
      text.append('\n').append(group);
    }
    for (String part :
        new String[] {
          r.currentCommit(), r.target() == null ? null : r.target().commit(), r.version()
        }) {
      if (part != null) {
        text.append('\n').append(part);
      }
    }
    return text.toString().toLowerCase(Locale.ROOT);
  }
}
