package dev.sluice.core.guard;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.channel.Channel;
import dev.sluice.core.policy.GuardAction;
import dev.sluice.core.policy.Halt;
import dev.sluice.core.policy.Policy;
import dev.sluice.core.policy.PolicyEditor;
import dev.sluice.core.policy.PolicyLimits;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A tripped guard's action, as one edit of the policy (through {@link PolicyEditor}, the code
 * {@code channel-admin policy set} uses) and the commit message that carries the evidence.
 *
 * @param channel the channel whose guard tripped
 * @param verdict the verdict that tripped it
 * @param label how people name the target, e.g. {@code v5.2.0_pre (9f8e7d6c)}
 * @param at when it tripped
 */
public record GuardTrip(Channel channel, GuardVerdict verdict, String label, Instant at) {

  private static final ObjectMapper MAPPER = JsonMapper.builder().build();

  /** The trailer naming the channel, so tools can find the guard's commits. */
  public static final String TRAILER = "Sluice-Guard";

  public GuardTrip {
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(verdict, "verdict");
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(at, "at");
    if (!verdict.tripped()) {
      throw new IllegalArgumentException("the guard of " + channel + " did not trip");
    }
  }

  /** The halt this trip records under the given policy's guard action. */
  public Halt halt(Policy policy) {
    return new Halt(at, action(policy), verdict.target(), reason());
  }

  /** The action the channel's guard takes. */
  public GuardAction action(Policy policy) {
    return policy.channel(channel).guard().action();
  }

  /** The evidence in one line (the halt's reason, and the pause reason). */
  public String reason() {
    String text = "guard: " + verdict.summary();
    return text.length() > PolicyLimits.MAX_REASON
        ? text.substring(0, PolicyLimits.MAX_REASON - 3) + "..."
        : text;
  }

  /** The {@code KEY=VALUE} edits of {@code channel-admin policy set} that take the action. */
  public List<String> assignments(Policy policy) {
    Halt halt = halt(policy);
    String path = "channels." + channel.id();
    List<String> edits = new ArrayList<>();
    ObjectNode haltNode =
        MAPPER
            .createObjectNode()
            .put("at", halt.at().toString())
            .put("action", halt.action().id())
            .put("commit", halt.commit())
            .put("reason", halt.reason());
    edits.add(path + ".halt=" + haltNode);
    if (halt.action() == GuardAction.PAUSE) {
      edits.add(path + ".paused=true");
      edits.add(path + ".pauseReason=" + MAPPER.getNodeFactory().textNode(halt.reason()));
    } else {
      ObjectNode deadend =
          MAPPER.createObjectNode().put("ref", halt.commit()).put("reason", halt.reason());
      edits.add("deadends[" + policy.deadends().size() + "]=" + deadend);
    }
    return edits;
  }

  /** The policy with the action taken, validated like any edit. */
  public Policy apply(Policy policy) {
    return PolicyEditor.set(policy, assignments(policy)).policy();
  }

  /** The commit subject: what the guard did, to which channel, and why in short. */
  public String subject(Policy policy) {
    GuardAction action = action(policy);
    return "guard: "
        + (action == GuardAction.PAUSE
            ? "pause " + channel
            : "dead-end " + label + " on " + channel)
        + ", "
        + verdict.failed()
        + " of "
        + verdict.attempts()
        + " nodes failed "
        + label;
  }

  /** The whole commit message: subject, evidence, first failing nodes, trailers. */
  public String message(Policy policy) {
    GuardAction action = action(policy);
    var guard = policy.channel(channel).guard();
    StringBuilder text = new StringBuilder(subject(policy)).append("\n\n");
    text.append("The guard of channel ")
        .append(channel)
        .append(" tripped at ")
        .append(at)
        .append(": ")
        .append(verdict.failed())
        .append(" of the ")
        .append(verdict.attempts())
        .append(" nodes that tried ")
        .append(label)
        .append(" since ")
        .append(verdict.from())
        .append(" failed or rolled back (")
        .append(GuardEvaluator.percent(verdict.ratio()))
        .append("), more than maxFailureRatio ")
        .append(guard.maxFailureRatio())
        .append(" with minSample ")
        .append(guard.minSample())
        .append(" in a window of ")
        .append(guard.window())
        .append(".\n\n");
    text.append(
        action == GuardAction.PAUSE
            ? "Action: pause. The channel's nodes stay where they are until 'channel-admin resume "
                + channel
                + "'.\n\n"
            : "Action: dead-end. No node moves onto "
                + verdict.target()
                + "; nodes on it move to the channel's next target.\n\n");
    text.append("First failing nodes:\n");
    for (Observation failure : verdict.firstFailures()) {
      text.append("  ")
          .append(failure.node())
          .append(" at ")
          .append(failure.at())
          .append(": ")
          .append(failure.reason() == null ? "failed" : oneLine(failure.reason()))
          .append('\n');
    }
    text.append('\n')
        .append(TRAILER)
        .append(": ")
        .append(channel)
        .append('\n')
        .append("Sluice-Guard-Commit: ")
        .append(verdict.target())
        .append('\n')
        .append("Sluice-Guard-Failed: ")
        .append(verdict.failed())
        .append('\n')
        .append("Sluice-Guard-Attempts: ")
        .append(verdict.attempts())
        .append('\n');
    return text.toString();
  }

  private static String oneLine(String text) {
    String line = text.replaceAll("[\\r\\n\\t]+", " ").strip();
    return line.length() > 300 ? line.substring(0, 297) + "..." : line;
  }
}
