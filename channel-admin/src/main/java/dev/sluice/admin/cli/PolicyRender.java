package dev.sluice.admin.cli;

import dev.sluice.admin.policy.ExplainResult;
import dev.sluice.admin.policy.PolicySnapshot;
import dev.sluice.core.policy.PolicyWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Output of the policy commands, for people and for {@code --json}. */
final class PolicyRender {

  private PolicyRender() {}

  /** A line naming the source, then the file as it is (canonical for the defaults). */
  static String show(PolicySnapshot snapshot) {
    String header = "# " + snapshot.source() + (snapshot.valid() ? "" : " (INVALID)") + "\n";
    if (snapshot.defaults()) {
      return header + PolicyWriter.write(snapshot.policy());
    }
    String text = snapshot.text() == null ? "" : snapshot.text();
    return header + text + (text.endsWith("\n") || text.isEmpty() ? "" : "\n");
  }

  static Map<String, Object> snapshotJson(PolicySnapshot snapshot) {
    Map<String, Object> json = validationJson(snapshot);
    json.put("policy", snapshot.valid() ? PolicyWriter.toTree(snapshot.policy()) : null);
    json.put("text", snapshot.text());
    return json;
  }

  static Map<String, Object> validationJson(PolicySnapshot snapshot) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("remote", snapshot.remote());
    json.put("source", snapshot.source());
    json.put("commit", snapshot.commit() == null ? null : snapshot.commit().name());
    json.put("valid", snapshot.valid());
    json.put("errors", snapshot.valid() ? List.of() : snapshot.invalid().errors());
    return json;
  }

  static String explain(ExplainResult result) {
    ExplainResult.Node node = result.node();
    ExplainResult.Lottery lottery = result.lottery();
    StringBuilder text = new StringBuilder();
    text.append("policy    ").append(result.policy()).append('\n');
    text.append(
        String.format(
            Locale.ROOT,
            "node      %s, ticket %.4f, groups %s, %s%n",
            node.id(),
            node.ticket(),
            node.groups().isEmpty() ? "none" : String.join(",", node.groups()),
            node.currentCommit() == null
                ? "nothing installed"
                : "runs " + node.currentCommit().substring(0, 8)));
    String how =
        lottery.pinned()
            ? "given with --channel"
            : String.format(
                Locale.ROOT,
                "ticket %.4f %s weight %s from %s",
                node.ticket(),
                lottery.preprod() ? "<" : ">=",
                lottery.weight(),
                lottery.source());
    text.append("channel   ").append(result.channel()).append(" (").append(how).append(")\n");
    ExplainResult.Target target = result.target();
    text.append("target    ")
        .append(target.version() != null ? target.version() + " " : "")
        .append(target.commit(), 0, 8)
        .append(" on ")
        .append(target.ref())
        .append('\n');
    if (result.trust() != null) {
      text.append("trust     ").append(result.trust()).append('\n');
    }
    text.append("decision  ").append(result.decision().message());
    return text.toString();
  }
}
