package dev.sluice.core.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.channel.Channel;
import java.io.UncheckedIOException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.util.Map;

/**
 * Writes a policy as the canonical {@code channels.json}: every field spelled out (defaults
 * included), fields in schema order, group weights sorted by name, days in week order, two-space
 * indentation, one trailing newline. Writing the same policy always gives the same bytes, so the
 * {@code rollout-policy} history shows only real changes, and {@code PolicyParser.parse(write(p))}
 * equals {@code p}.
 */
public final class PolicyWriter {

  private static final ObjectMapper MAPPER = JsonMapper.builder().build();

  private static final DefaultPrettyPrinter PRINTER =
      new DefaultPrettyPrinter(
              Separators.createDefaultInstance()
                  .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                  .withObjectEmptySeparator("")
                  .withArrayEmptySeparator(""))
          .withArrayIndenter(new DefaultIndenter("  ", "\n"))
          .withObjectIndenter(new DefaultIndenter("  ", "\n"));

  private PolicyWriter() {}

  /** The canonical document text, ending in a newline. */
  public static String write(Policy policy) {
    return pretty(toTree(policy));
  }

  /** Any JSON tree in the same layout (the generated schema uses it too). */
  static String pretty(JsonNode tree) {
    try {
      return MAPPER.writer(PRINTER).writeValueAsString(tree) + "\n";
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The canonical document as a JSON tree, e.g. to change one field and read it back. */
  public static ObjectNode toTree(Policy policy) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("schema", policy.schema());
    ObjectNode channels = root.putObject("channels");
    for (Channel channel : Channel.values()) {
      ChannelPolicy entry = policy.channel(channel);
      ObjectNode node = channels.putObject(channel.id());
      node.put("branch", entry.branch());
      node.put("tagPattern", entry.tagPattern().toString());
      node.put("track", entry.track().id());
      node.put("paused", entry.paused());
      if (entry.allowDowngrade()) {
        node.put("allowDowngrade", true);
      }
      if (entry.pauseReason() != null) {
        node.put("pauseReason", entry.pauseReason());
      }
      // Written only when set, so policies without a guard of their own keep their bytes.
      if (!entry.guard().equals(Guard.defaults())) {
        Guard guard = entry.guard();
        ObjectNode guardNode = node.putObject("guard");
        guardNode.put("maxFailureRatio", guard.maxFailureRatio());
        guardNode.put("minSample", guard.minSample());
        guardNode.put("window", format(guard.window()));
        guardNode.put("action", guard.action().id());
        if (guard.countFrom() != null) {
          guardNode.put("countFrom", guard.countFrom().toString());
        }
      }
      if (entry.halt() != null) {
        Halt halt = entry.halt();
        node.putObject("halt")
            .put("at", halt.at().toString())
            .put("action", halt.action().id())
            .put("commit", halt.commit())
            .put("reason", halt.reason());
      }
    }
    ObjectNode lottery = root.putObject("lottery");
    lottery.put("probability", policy.lottery().probability());
    lottery.put("period", policy.lottery().period().toString());
    ObjectNode weights = lottery.putObject("groupWeights");
    for (Map.Entry<String, Double> weight : policy.lottery().groupWeights().entrySet()) {
      weights.put(weight.getKey(), weight.getValue());
    }
    ObjectNode promotion = root.putObject("promotion");
    promotion.put("soak", format(policy.promotion().soak()));
    promotion.put("minHealthyPreprodNodes", policy.promotion().minHealthyPreprodNodes());
    promotion.put("maxFailureRatio", policy.promotion().maxFailureRatio());
    ArrayNode frozen = root.putArray("frozen");
    policy.frozen().forEach(frozen::add);
    ArrayNode deadends = root.putArray("deadends");
    for (Deadend deadend : policy.deadends()) {
      deadends.addObject().put("ref", deadend.ref()).put("reason", deadend.reason());
    }
    ArrayNode barriers = root.putArray("barriers");
    for (Barrier barrier : policy.barriers()) {
      barriers.addObject().put("ref", barrier.ref()).put("reason", barrier.reason());
    }
    ArrayNode rollouts = root.putArray("rollouts");
    for (Rollout rollout : policy.rollouts()) {
      rollouts
          .addObject()
          .put("ref", rollout.ref())
          .put("start", rollout.start().toString())
          .put("duration", format(rollout.duration()))
          .put("startFraction", rollout.startFraction());
    }
    ArrayNode windows = root.putArray("maintenanceWindows");
    for (MaintenanceWindow window : policy.maintenanceWindows()) {
      ObjectNode node = windows.addObject();
      ArrayNode days = node.putArray("days");
      window.days().forEach(day -> days.add(dayName(day)));
      node.put("start", window.start().toString());
      node.put("length", format(window.length()));
      node.put("zone", window.zone().getId());
    }
    root.put("maxAttempts", policy.maxAttempts());
    UpdateLimits updateLimits = policy.updateLimits();
    ObjectNode limits = root.putObject("updateLimits");
    ObjectNode limitChannels = limits.putObject("channels");
    updateLimits
        .channels()
        .forEach((channel, limit) -> writeLimit(limitChannels.putObject(channel.id()), limit));
    ObjectNode limitGroups = limits.putObject("groups");
    updateLimits
        .groups()
        .forEach((group, limit) -> writeLimit(limitGroups.putObject(group), limit));
    limits.put("slotExpiry", format(updateLimits.slotExpiry()));
    limits.put("onLockUnavailable", updateLimits.onLockUnavailable().id());
    return root;
  }

  private static void writeLimit(ObjectNode node, UpdateLimit limit) {
    if (limit.limitsConcurrency()) {
      node.put("maxConcurrentUpdates", limit.maxConcurrentUpdates());
    }
    if (limit.limitsRate()) {
      node.put("maxUpdatesPerHour", limit.maxUpdatesPerHour());
    }
  }

  /**
   * A duration as people write it: whole weeks of days as {@code P7D} or {@code P14D}, anything
   * else in hours, minutes and seconds ({@code PT48H}, {@code PT4H30M}).
   */
  public static String format(Duration duration) {
    if (!duration.isZero() && duration.getNano() == 0 && duration.getSeconds() % 604_800 == 0) {
      return "P" + duration.getSeconds() / 86_400 + "D";
    }
    return duration.toString();
  }

  /** The three-letter name of a day: {@code MON} ... {@code SUN}. */
  public static String dayName(DayOfWeek day) {
    return day.name().substring(0, 3);
  }

  /** The day named by three letters ({@code MON} ... {@code SUN}), or null. */
  static DayOfWeek dayOf(String name) {
    for (DayOfWeek day : DayOfWeek.values()) {
      if (dayName(day).equals(name)) {
        return day;
      }
    }
    return null;
  }
}
