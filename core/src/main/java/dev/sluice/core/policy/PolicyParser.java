package dev.sluice.core.policy;

import static dev.sluice.core.policy.PolicyFormat.ALLOW_DOWNGRADE;
import static dev.sluice.core.policy.PolicyFormat.BARRIERS;
import static dev.sluice.core.policy.PolicyFormat.BRANCH_FIELD;
import static dev.sluice.core.policy.PolicyFormat.CHANNEL;
import static dev.sluice.core.policy.PolicyFormat.CHANNELS;
import static dev.sluice.core.policy.PolicyFormat.DAY;
import static dev.sluice.core.policy.PolicyFormat.DAYS_SHAPE;
import static dev.sluice.core.policy.PolicyFormat.DEADENDS;
import static dev.sluice.core.policy.PolicyFormat.DOCUMENT;
import static dev.sluice.core.policy.PolicyFormat.FROZEN;
import static dev.sluice.core.policy.PolicyFormat.GROUP_WEIGHTS_SHAPE;
import static dev.sluice.core.policy.PolicyFormat.GUARD;
import static dev.sluice.core.policy.PolicyFormat.GUARD_ACTION_FIELD;
import static dev.sluice.core.policy.PolicyFormat.GUARD_COUNT_FROM;
import static dev.sluice.core.policy.PolicyFormat.GUARD_MAX_FAILURE_RATIO;
import static dev.sluice.core.policy.PolicyFormat.GUARD_MIN_SAMPLE;
import static dev.sluice.core.policy.PolicyFormat.GUARD_WINDOW_FIELD;
import static dev.sluice.core.policy.PolicyFormat.HALT;
import static dev.sluice.core.policy.PolicyFormat.HALT_ACTION_FIELD;
import static dev.sluice.core.policy.PolicyFormat.HALT_AT;
import static dev.sluice.core.policy.PolicyFormat.HALT_COMMIT;
import static dev.sluice.core.policy.PolicyFormat.HALT_REASON;
import static dev.sluice.core.policy.PolicyFormat.LIMIT_CHANNELS;
import static dev.sluice.core.policy.PolicyFormat.LIMIT_GROUPS_SHAPE;
import static dev.sluice.core.policy.PolicyFormat.LOTTERY;
import static dev.sluice.core.policy.PolicyFormat.MAX_ATTEMPTS;
import static dev.sluice.core.policy.PolicyFormat.MAX_CONCURRENT_UPDATES;
import static dev.sluice.core.policy.PolicyFormat.MAX_FAILURE_RATIO;
import static dev.sluice.core.policy.PolicyFormat.MAX_UPDATES_PER_HOUR;
import static dev.sluice.core.policy.PolicyFormat.MIN_HEALTHY;
import static dev.sluice.core.policy.PolicyFormat.NAME;
import static dev.sluice.core.policy.PolicyFormat.ON_LOCK_UNAVAILABLE_FIELD;
import static dev.sluice.core.policy.PolicyFormat.PAUSED;
import static dev.sluice.core.policy.PolicyFormat.PAUSE_REASON;
import static dev.sluice.core.policy.PolicyFormat.PERIOD_FIELD;
import static dev.sluice.core.policy.PolicyFormat.PROBABILITY;
import static dev.sluice.core.policy.PolicyFormat.PROMOTION;
import static dev.sluice.core.policy.PolicyFormat.REASON_FIELD;
import static dev.sluice.core.policy.PolicyFormat.REF_ENTRY;
import static dev.sluice.core.policy.PolicyFormat.REF_FIELD;
import static dev.sluice.core.policy.PolicyFormat.ROLLOUT;
import static dev.sluice.core.policy.PolicyFormat.ROLLOUTS;
import static dev.sluice.core.policy.PolicyFormat.ROLLOUT_DURATION_FIELD;
import static dev.sluice.core.policy.PolicyFormat.ROLLOUT_START;
import static dev.sluice.core.policy.PolicyFormat.SCHEMA_VERSION;
import static dev.sluice.core.policy.PolicyFormat.SLOT_EXPIRY_FIELD;
import static dev.sluice.core.policy.PolicyFormat.SOAK_FIELD;
import static dev.sluice.core.policy.PolicyFormat.START_FRACTION;
import static dev.sluice.core.policy.PolicyFormat.TAG_PATTERN_FIELD;
import static dev.sluice.core.policy.PolicyFormat.TRACK_FIELD;
import static dev.sluice.core.policy.PolicyFormat.UPDATE_LIMIT;
import static dev.sluice.core.policy.PolicyFormat.UPDATE_LIMITS;
import static dev.sluice.core.policy.PolicyFormat.WINDOW;
import static dev.sluice.core.policy.PolicyFormat.WINDOWS;
import static dev.sluice.core.policy.PolicyFormat.WINDOW_LENGTH_FIELD;
import static dev.sluice.core.policy.PolicyFormat.WINDOW_START;
import static dev.sluice.core.policy.PolicyFormat.ZONE_FIELD;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.sluice.core.channel.Channel;
import dev.sluice.core.channel.Track;
import dev.sluice.core.policy.PolicyFormat.ArrayOf;
import dev.sluice.core.policy.PolicyFormat.Field;
import dev.sluice.core.policy.PolicyFormat.Invalid;
import dev.sluice.core.policy.PolicyFormat.Type;
import dev.sluice.core.version.TagPattern;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.Period;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a policy document strictly: unknown fields, wrong types, out-of-range values and
 * contradictions are all reported at once, each message naming the field path and what is expected
 * ({@code rollouts[0].duration: "48h" is not an ISO-8601 duration, e.g. PT48H}).
 *
 * <p>Only {@code schema} is required. A missing section or field takes its built-in default (see
 * {@link Policy#defaults()}); a channel entry without {@code branch}, {@code tagPattern} or {@code
 * track} takes that channel's default layout. A JSON {@code null} counts as missing.
 *
 * <p>Every field, its kind of value and its range come from {@link PolicyFormat}, which also
 * generates the published schema; this class walks a document by those declarations and adds the
 * rules that span fields or entries (refs listed twice, a name both frozen and weighted, two
 * channels sharing a branch or tag pattern).
 *
 * <p>Its length is one checker that walks every section of the document into a single error list:
 * that list is what makes every error come out at once, each with its path, and the rules that span
 * sections (a frozen name that is also weighted) read what the other sections parsed. Split per
 * section, each piece would need the list, the paths and the other sections' results passed in.
 */
public final class PolicyParser {

  /** The top-level fields of schema 1, in the order {@link PolicyWriter} writes them. */
  public static final List<String> TOP_LEVEL_FIELDS = DOCUMENT.names();

  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private PolicyParser() {}

  /**
   * Parses {@code channels.json} text.
   *
   * @throws PolicyValidationException with every problem found, source {@code channels.json}
   */
  public static Policy parse(String json) {
    return parse(json, Policy.FILE);
  }

  /**
   * Parses policy text read from {@code source} (named in the exception, e.g. {@code channels.json
   * at rollout-policy 1a2b3c4}).
   *
   * @throws PolicyValidationException with every problem found
   */
  public static Policy parse(String json, String source) {
    JsonNode root;
    try {
      root = MAPPER.readTree(json == null ? "" : json);
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where =
          at == null ? "" : "line " + at.getLineNr() + ", column " + at.getColumnNr() + ": ";
      throw new PolicyValidationException(
          source, List.of("(document): not valid JSON: " + where + e.getOriginalMessage()));
    }
    return fromTree(root, source);
  }

  /**
   * Validates an already parsed JSON tree (used by editors that change one field of the written
   * form and read it back).
   *
   * @throws PolicyValidationException with every problem found
   */
  public static Policy fromTree(JsonNode root, String source) {
    Checker checker = new Checker();
    Policy policy = checker.policy(root);
    if (!checker.errors.isEmpty() || policy == null) {
      throw new PolicyValidationException(source, checker.errors);
    }
    return policy;
  }

  /** Walks a document, collecting every error. */
  private static final class Checker {
    final List<String> errors = new ArrayList<>();

    void error(String path, String message) {
      errors.add(path + ": " + message);
    }

    Policy policy(JsonNode root) {
      if (root == null || !root.isObject()) {
        error(
            "(document)", "expected a JSON object such as {\"schema\": 1}, got " + describe(root));
        return null;
      }
      if (value(root, "", "schema", SCHEMA_VERSION, null, true) == null) {
        return null;
      }
      unknownFields(root, "", DOCUMENT.names());
      Map<Channel, ChannelPolicy> channels = channels(field(root, "channels"));
      LotteryPolicy lottery = lottery(field(root, "lottery"));
      PromotionPolicy promotion = promotion(field(root, "promotion"));
      List<String> frozen = frozen(root, lottery);
      List<Deadend> deadends = refList(root, "deadends", DEADENDS, Deadend::new);
      List<Barrier> barriers = refList(root, "barriers", BARRIERS, Barrier::new);
      List<Rollout> rollouts = rollouts(root);
      List<MaintenanceWindow> windows = windows(root);
      Integer maxAttempts = value(root, "", MAX_ATTEMPTS, Policy.DEFAULT_MAX_ATTEMPTS);
      UpdateLimits updateLimits = updateLimits(field(root, "updateLimits"));
      if (!errors.isEmpty()) {
        return null;
      }
      try {
        return new Policy(
            Policy.SCHEMA,
            channels,
            lottery,
            promotion,
            frozen,
            deadends,
            barriers,
            rollouts,
            windows,
            maxAttempts,
            updateLimits);
      } catch (IllegalArgumentException e) {
        error("(document)", e.getMessage());
        return null;
      }
    }

    Map<Channel, ChannelPolicy> channels(JsonNode node) {
      Map<Channel, ChannelPolicy> channels = new EnumMap<>(Channel.class);
      for (Channel channel : Channel.values()) {
        channels.put(channel, ChannelPolicy.defaultFor(channel));
      }
      if (node == null || !object(node, "channels", CHANNELS.names())) {
        return channels;
      }
      for (Channel channel : Channel.values()) {
        JsonNode entry = field(node, channel.id());
        if (entry != null) {
          ChannelPolicy parsed = channel(entry, "channels." + channel.id(), channel);
          if (parsed != null) {
            channels.put(channel, parsed);
          }
        }
      }
      ChannelPolicy stable = channels.get(Channel.STABLE);
      ChannelPolicy preprod = channels.get(Channel.PREPROD);
      if (stable.branch().equals(preprod.branch())) {
        error(
            "channels.preprod.branch",
            "\""
                + preprod.branch()
                + "\" is also the stable branch; the channels need two branches");
      }
      if (stable.tagPattern().equals(preprod.tagPattern())) {
        error(
            "channels.preprod.tagPattern",
            "\""
                + preprod.tagPattern()
                + "\" is also the stable tag pattern; the channels need two patterns");
      }
      return channels;
    }

    ChannelPolicy channel(JsonNode node, String path, Channel channel) {
      if (!object(node, path, CHANNEL.names())) {
        return null;
      }
      ChannelPolicy defaults = ChannelPolicy.defaultFor(channel);
      String branch = value(node, path, BRANCH_FIELD, defaults.branch());
      TagPattern tagPattern = value(node, path, TAG_PATTERN_FIELD, defaults.tagPattern());
      Track track = value(node, path, TRACK_FIELD, defaults.track());
      Boolean paused = value(node, path, PAUSED, false);
      String pauseReason = value(node, path, PAUSE_REASON, null);
      Boolean allowDowngrade = value(node, path, ALLOW_DOWNGRADE, false);
      Guard guard = guard(field(node, "guard"), path + ".guard");
      JsonNode haltNode = field(node, "halt");
      Halt halt = haltNode == null ? null : halt(haltNode, path + ".halt");
      if (branch == null
          || tagPattern == null
          || track == null
          || paused == null
          || allowDowngrade == null
          || guard == null
          || (haltNode != null && halt == null)) {
        return null;
      }
      return new ChannelPolicy(
          branch, tagPattern, track, paused, pauseReason, allowDowngrade, guard, halt);
    }

    /** A channel's guard, the defaults for what is missing; null (with errors) when invalid. */
    Guard guard(JsonNode node, String path) {
      Guard defaults = Guard.defaults();
      if (node == null) {
        return defaults;
      }
      if (!object(node, path, GUARD.names())) {
        return null;
      }
      Double ratio = value(node, path, GUARD_MAX_FAILURE_RATIO, defaults.maxFailureRatio());
      Integer minSample = value(node, path, GUARD_MIN_SAMPLE, defaults.minSample());
      Duration window = value(node, path, GUARD_WINDOW_FIELD, defaults.window());
      GuardAction action = value(node, path, GUARD_ACTION_FIELD, defaults.action());
      JsonNode countFromNode = field(node, GUARD_COUNT_FROM.name());
      Instant countFrom = value(node, path, GUARD_COUNT_FROM, null);
      if (ratio == null
          || minSample == null
          || window == null
          || action == null
          || (countFromNode != null && countFrom == null)) {
        return null;
      }
      return new Guard(ratio, minSample, window, action, countFrom);
    }

    /** A guard's halt; null (with errors) when invalid. */
    Halt halt(JsonNode node, String path) {
      if (!object(node, path, HALT.names())) {
        return null;
      }
      Instant at = value(node, path, HALT_AT, null);
      GuardAction action = value(node, path, HALT_ACTION_FIELD, null);
      String commit = value(node, path, HALT_COMMIT, null);
      String reason = value(node, path, HALT_REASON, null);
      if (at == null || action == null || commit == null || reason == null) {
        return null;
      }
      return new Halt(at, action, commit, reason);
    }

    LotteryPolicy lottery(JsonNode node) {
      LotteryPolicy defaults = LotteryPolicy.defaults();
      if (node == null || !object(node, "lottery", LOTTERY.names())) {
        return defaults;
      }
      Double probability = value(node, "lottery", PROBABILITY, defaults.probability());
      Period period = value(node, "lottery", PERIOD_FIELD, defaults.period());
      Map<String, Double> weights = new LinkedHashMap<>();
      JsonNode weightsNode = field(node, "groupWeights");
      if (weightsNode != null
          && object(weightsNode, "lottery.groupWeights", null)
          && size(weightsNode, "lottery.groupWeights", GROUP_WEIGHTS_SHAPE.maxEntries())) {
        for (Iterator<Map.Entry<String, JsonNode>> it = weightsNode.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> entry = it.next();
          String path = "lottery.groupWeights." + clip(entry.getKey());
          if (entry.getKey().isBlank()) {
            error(path, "a group name must not be empty");
            continue;
          }
          if (entry.getKey().length() > GROUP_WEIGHTS_SHAPE.maxKeyLength()) {
            error(
                path,
                "a group name must not be longer than "
                    + GROUP_WEIGHTS_SHAPE.maxKeyLength()
                    + " characters");
            continue;
          }
          Double weight = convert(entry.getValue(), path, PROBABILITY.type());
          if (weight != null) {
            weights.put(entry.getKey(), weight);
          }
        }
      }
      if (probability == null || period == null) {
        return defaults;
      }
      return new LotteryPolicy(probability, period, weights);
    }

    PromotionPolicy promotion(JsonNode node) {
      PromotionPolicy defaults = PromotionPolicy.defaults();
      if (node == null || !object(node, "promotion", PROMOTION.names())) {
        return defaults;
      }
      Duration soak = value(node, "promotion", SOAK_FIELD, defaults.soak());
      Integer minHealthy = value(node, "promotion", MIN_HEALTHY, defaults.minHealthyPreprodNodes());
      Double maxFailureRatio =
          value(node, "promotion", MAX_FAILURE_RATIO, defaults.maxFailureRatio());
      if (soak == null || minHealthy == null || maxFailureRatio == null) {
        return defaults;
      }
      return new PromotionPolicy(soak, minHealthy, maxFailureRatio);
    }

    UpdateLimits updateLimits(JsonNode node) {
      UpdateLimits defaults = UpdateLimits.none();
      if (node == null || !object(node, "updateLimits", UPDATE_LIMITS.names())) {
        return defaults;
      }
      Map<Channel, UpdateLimit> channels = new EnumMap<>(Channel.class);
      JsonNode channelsNode = field(node, "channels");
      if (channelsNode != null
          && object(channelsNode, "updateLimits.channels", LIMIT_CHANNELS.names())) {
        for (Channel channel : Channel.values()) {
          JsonNode entry = field(channelsNode, channel.id());
          if (entry != null) {
            UpdateLimit limit = updateLimit(entry, "updateLimits.channels." + channel.id());
            if (limit != null) {
              channels.put(channel, limit);
            }
          }
        }
      }
      Map<String, UpdateLimit> groups = new LinkedHashMap<>();
      JsonNode groupsNode = field(node, "groups");
      if (groupsNode != null
          && object(groupsNode, "updateLimits.groups", null)
          && size(groupsNode, "updateLimits.groups", LIMIT_GROUPS_SHAPE.maxEntries())) {
        for (Iterator<Map.Entry<String, JsonNode>> it = groupsNode.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> entry = it.next();
          String path = "updateLimits.groups." + clip(entry.getKey());
          if (entry.getKey().isBlank()) {
            error(path, "a group name must not be empty");
            continue;
          }
          if (entry.getKey().length() > LIMIT_GROUPS_SHAPE.maxKeyLength()) {
            error(
                path,
                "a group name must not be longer than "
                    + LIMIT_GROUPS_SHAPE.maxKeyLength()
                    + " characters");
            continue;
          }
          if (entry.getValue() != null && !entry.getValue().isNull()) {
            UpdateLimit limit = updateLimit(entry.getValue(), path);
            if (limit != null) {
              groups.put(entry.getKey(), limit);
            }
          }
        }
      }
      Duration expiry = value(node, "updateLimits", SLOT_EXPIRY_FIELD, defaults.slotExpiry());
      UpdateLimits.OnLockUnavailable onLockUnavailable =
          value(node, "updateLimits", ON_LOCK_UNAVAILABLE_FIELD, defaults.onLockUnavailable());
      if (expiry == null || onLockUnavailable == null) {
        return defaults;
      }
      return new UpdateLimits(channels, groups, expiry, onLockUnavailable);
    }

    UpdateLimit updateLimit(JsonNode node, String path) {
      if (!object(node, path, UPDATE_LIMIT.names())) {
        return null;
      }
      Integer concurrent = value(node, path, MAX_CONCURRENT_UPDATES, 0);
      Integer perHour = value(node, path, MAX_UPDATES_PER_HOUR, 0);
      if (concurrent == null || perHour == null) {
        return null;
      }
      if (concurrent == 0 && perHour == 0) {
        error(
            path, "an object without a limit; set maxConcurrentUpdates, maxUpdatesPerHour or both");
        return null;
      }
      return new UpdateLimit(concurrent, perHour);
    }

    List<String> frozen(JsonNode root, LotteryPolicy lottery) {
      List<String> frozen = new ArrayList<>();
      List<JsonNode> items = array(root, "frozen", FROZEN);
      for (int i = 0; i < items.size(); i++) {
        String path = "frozen[" + i + "]";
        String name = convert(items.get(i), path, NAME);
        if (name == null) {
          continue;
        }
        if (frozen.contains(name)) {
          error(path, "\"" + name + "\" is listed twice");
          continue;
        }
        if (lottery.groupWeights().containsKey(name)) {
          error(
              path,
              "\""
                  + name
                  + "\" also has a weight in lottery.groupWeights; a frozen name never moves, so"
                  + " it cannot be weighted: remove it from one of them");
          continue;
        }
        frozen.add(name);
      }
      return frozen;
    }

    interface RefEntry<T> {
      T make(String ref, String reason);
    }

    <T> List<T> refList(JsonNode root, String name, ArrayOf shape, RefEntry<T> factory) {
      List<T> entries = new ArrayList<>();
      Set<String> seen = new HashSet<>();
      List<JsonNode> items = array(root, name, shape);
      for (int i = 0; i < items.size(); i++) {
        String path = name + "[" + i + "]";
        JsonNode item = items.get(i);
        if (!object(item, path, REF_ENTRY.names())) {
          continue;
        }
        String ref = value(item, path, REF_FIELD, null);
        String reason = value(item, path, REASON_FIELD, null);
        if (ref != null && !seen.add(ref)) {
          error(path + ".ref", "\"" + ref + "\" is listed twice in " + name);
          continue;
        }
        if (ref != null && reason != null) {
          entries.add(factory.make(ref, reason));
        }
      }
      return entries;
    }

    List<Rollout> rollouts(JsonNode root) {
      List<Rollout> rollouts = new ArrayList<>();
      Set<String> seen = new HashSet<>();
      List<JsonNode> items = array(root, "rollouts", ROLLOUTS);
      for (int i = 0; i < items.size(); i++) {
        String path = "rollouts[" + i + "]";
        JsonNode item = items.get(i);
        if (!object(item, path, ROLLOUT.names())) {
          continue;
        }
        String ref = value(item, path, REF_FIELD, null);
        Instant start = value(item, path, ROLLOUT_START, null);
        Duration duration = value(item, path, ROLLOUT_DURATION_FIELD, null);
        Double startFraction = value(item, path, START_FRACTION, 0.0);
        if (ref != null && !seen.add(ref)) {
          error(path + ".ref", "\"" + ref + "\" already has a rollout");
          continue;
        }
        if (ref != null && start != null && duration != null && startFraction != null) {
          rollouts.add(new Rollout(ref, start, duration, startFraction));
        }
      }
      return rollouts;
    }

    List<MaintenanceWindow> windows(JsonNode root) {
      List<MaintenanceWindow> windows = new ArrayList<>();
      List<JsonNode> items = array(root, "maintenanceWindows", WINDOWS);
      for (int i = 0; i < items.size(); i++) {
        String path = "maintenanceWindows[" + i + "]";
        JsonNode item = items.get(i);
        if (!object(item, path, WINDOW.names())) {
          continue;
        }
        Set<DayOfWeek> days = days(item, path);
        LocalTime start = value(item, path, WINDOW_START, null);
        Duration length = value(item, path, WINDOW_LENGTH_FIELD, null);
        ZoneId zone = value(item, path, ZONE_FIELD, null);
        if (days != null && start != null && length != null && zone != null) {
          windows.add(new MaintenanceWindow(days, start, length, zone));
        }
      }
      return windows;
    }

    Set<DayOfWeek> days(JsonNode item, String path) {
      JsonNode node = field(item, "days");
      String daysPath = path + ".days";
      String expected = DAYS_SHAPE.expected();
      if (node == null) {
        error(daysPath, "missing; expected " + expected);
        return null;
      }
      if (!node.isArray() || node.isEmpty()) {
        error(daysPath, describe(node) + " is not " + expected);
        return null;
      }
      Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
      boolean ok = true;
      for (int i = 0; i < node.size(); i++) {
        String dayPath = daysPath + "[" + i + "]";
        DayOfWeek day = convert(node.get(i), dayPath, DAY);
        if (day == null) {
          ok = false;
        } else if (!days.add(day)) {
          error(dayPath, describe(node.get(i)) + " is listed twice");
          ok = false;
        }
      }
      return ok ? days : null;
    }

    /** Reports unknown fields; false (with an error) when the node is not an object at all. */
    boolean object(JsonNode node, String path, List<String> allowed) {
      if (!node.isObject()) {
        String fields = allowed == null ? "" : " with " + String.join(", ", allowed);
        error(path, describe(node) + " is not an object" + fields);
        return false;
      }
      if (allowed != null) {
        unknownFields(node, path, allowed);
      }
      return true;
    }

    /** False (with an error) when an array or object has more than {@code max} entries. */
    boolean size(JsonNode node, String path, int max) {
      if (node.size() > max) {
        error(path, node.size() + " entries are more than the " + max + " allowed");
        return false;
      }
      return true;
    }

    void unknownFields(JsonNode node, String path, List<String> allowed) {
      for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
        String name = names.next();
        if (!allowed.contains(name)) {
          error(
              join(path, clip(name)),
              "unknown field; expected one of " + String.join(", ", allowed));
        }
      }
    }

    List<JsonNode> array(JsonNode parent, String name, ArrayOf shape) {
      JsonNode node = field(parent, name);
      if (node == null) {
        return List.of();
      }
      if (!node.isArray()) {
        error(name, describe(node) + " is not " + shape.expected());
        return List.of();
      }
      if (!size(node, name, shape.maxItems())) {
        return List.of();
      }
      List<JsonNode> items = new ArrayList<>();
      node.forEach(items::add);
      return items;
    }

    <T> T value(JsonNode parent, String path, Field<T> field, T fallback) {
      return value(parent, path, field.name(), field.type(), fallback, field.required());
    }

    <T> T value(
        JsonNode parent, String path, String name, Type<T> type, T fallback, boolean required) {
      JsonNode node = field(parent, name);
      if (node == null) {
        if (required) {
          error(join(path, name), "missing; expected " + type.expected());
        }
        return fallback;
      }
      return convert(node, join(path, name), type);
    }

    <T> T convert(JsonNode node, String path, Type<T> type) {
      try {
        return type.convert().apply(node);
      } catch (Invalid e) {
        error(path, describe(node) + " " + e.getMessage());
        return null;
      }
    }
  }

  private static JsonNode field(JsonNode parent, String name) {
    JsonNode node = parent.get(name);
    return node == null || node.isNull() ? null : node;
  }

  private static String join(String path, String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  private static String clip(String text) {
    return text.length() > 60 ? text.substring(0, 57) + "..." : text;
  }

  private static String describe(JsonNode node) {
    if (node == null || node.isMissingNode()) {
      return "nothing";
    }
    if (node.isObject()) {
      return "an object";
    }
    if (node.isArray()) {
      return "an array";
    }
    return clip(node.toString());
  }
}
