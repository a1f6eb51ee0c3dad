package dev.sluice.core.policy;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.github.zafarkhaja.semver.Version;
import dev.sluice.core.channel.Channel;
import dev.sluice.core.channel.Track;
import dev.sluice.core.version.TagPattern;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.Period;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.eclipse.jgit.lib.Repository;

/**
 * Reads a policy document strictly: unknown fields, wrong types, out-of-range values and
 * contradictions are all reported at once, each message naming the field path and what is expected
 * ({@code rollouts[0].duration: "48h" is not an ISO-8601 duration, e.g. PT48H}).
 *
 * <p>Only {@code schema} is required. A missing section or field takes its built-in default (see
 * {@link Policy#defaults()}); a channel entry without {@code branch}, {@code tagPattern} or {@code
 * track} takes that channel's default layout. A JSON {@code null} counts as missing.
 */
public final class PolicyParser {

  /** The top-level fields of schema 1, in the order {@link PolicyWriter} writes them. */
  public static final List<String> TOP_LEVEL_FIELDS =
      List.of(
          "schema",
          "channels",
          "lottery",
          "promotion",
          "frozen",
          "deadends",
          "barriers",
          "rollouts",
          "maintenanceWindows",
          "maxAttempts");

  static final List<String> CHANNEL_FIELDS =
      List.of("branch", "tagPattern", "track", "paused", "pauseReason");
  static final List<String> LOTTERY_FIELDS = List.of("probability", "period", "groupWeights");
  static final List<String> PROMOTION_FIELDS =
      List.of("soak", "minHealthyPreprodNodes", "maxFailureRatio");
  static final List<String> REF_FIELDS = List.of("ref", "reason");
  static final List<String> ROLLOUT_FIELDS = List.of("ref", "start", "duration", "startFraction");
  static final List<String> WINDOW_FIELDS = List.of("days", "start", "length", "zone");

  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private static final Pattern HH_MM = Pattern.compile("([01][0-9]|2[0-3]):[0-5][0-9]");

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

  /** A value that is not what was expected; the message completes "{value} ...". */
  private static final class Invalid extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Invalid(String message) {
      super(message, null, false, false);
    }
  }

  /** How to read one kind of value: what is expected, and a conversion that throws Invalid. */
  private record Type<T>(String expected, Function<JsonNode, T> convert) {}

  private static <T> Type<T> textType(String expected, Function<String, T> parse) {
    return new Type<>(
        expected,
        node -> {
          if (!node.isTextual()) {
            throw new Invalid("is not " + expected);
          }
          return parse.apply(node.textValue());
        });
  }

  private static Type<String> text(int max) {
    return textType(
        "a non-empty string",
        text -> {
          if (text.isBlank()) {
            throw new Invalid("is not a non-empty string");
          }
          return shortText(text, max);
        });
  }

  private static String shortText(String text, int max) {
    if (text.length() > max) {
      throw new Invalid("is longer than " + max + " characters");
    }
    return text;
  }

  private static final Type<String> NAME = text(PolicyLimits.MAX_NAME);
  private static final Type<String> REASON = text(PolicyLimits.MAX_REASON);

  private static final Type<String> OPTIONAL_TEXT =
      textType("a string", text -> shortText(text, PolicyLimits.MAX_REASON));

  private static final Type<String> BRANCH =
      textType(
          "a branch name such as master",
          text -> {
            shortText(text, PolicyLimits.MAX_REF);
            if (text.isBlank()
                || text.startsWith("refs/")
                || !Repository.isValidRefName("refs/heads/" + text)) {
              throw new Invalid("is not a branch name such as master (without refs/heads/)");
            }
            return text;
          });

  private static final Type<TagPattern> TAG_PATTERN =
      textType(
          "a tag pattern with exactly one *, e.g. v* or v*_pre",
          text -> {
            shortText(text, PolicyLimits.MAX_TAG_PATTERN);
            try {
              TagPattern pattern = TagPattern.parse(text);
              if (!Repository.isValidRefName("refs/tags/" + pattern.tagFor(Version.of(1, 0, 0)))) {
                throw new Invalid("does not make valid tag names, e.g. v* or v*_pre");
              }
              return pattern;
            } catch (IllegalArgumentException e) {
              throw new Invalid("is not a tag pattern with exactly one *, e.g. v* or v*_pre");
            }
          });

  private static final Type<Track> TRACK =
      textType(
          "\"branch\" or \"tag\"",
          text -> {
            try {
              return Track.parse(text);
            } catch (IllegalArgumentException e) {
              throw new Invalid("is not \"branch\" or \"tag\"");
            }
          });

  private static final Type<Boolean> BOOLEAN =
      new Type<>(
          "true or false",
          node -> {
            if (!node.isBoolean()) {
              throw new Invalid("is not true or false");
            }
            return node.booleanValue();
          });

  private static final Type<Double> FRACTION =
      new Type<>(
          "a number in [0,1]",
          node -> {
            if (!node.isNumber() || !(node.doubleValue() >= 0.0 && node.doubleValue() <= 1.0)) {
              throw new Invalid("is not a number in [0,1]");
            }
            return node.doubleValue();
          });

  private static Type<Integer> wholeNumber(int min, int max) {
    String expected = "a whole number from " + min + " to " + max;
    return new Type<>(
        expected,
        node -> {
          if (!node.isIntegralNumber()
              || !node.canConvertToInt()
              || node.intValue() < min
              || node.intValue() > max) {
            throw new Invalid("is not " + expected);
          }
          return node.intValue();
        });
  }

  private static final Type<Period> PERIOD =
      textType(
          "an ISO-8601 period from P1D to P1Y, e.g. P1M",
          text -> {
            Period period;
            try {
              period = Period.parse(text);
            } catch (DateTimeParseException e) {
              throw new Invalid("is not an ISO-8601 period, e.g. P1M");
            }
            if (!PolicyLimits.periodInRange(period)) {
              throw new Invalid(
                  "is not an ISO-8601 period from P1D to P1Y (a month counts 31 days next to"
                      + " days), e.g. P1M");
            }
            return period;
          });

  private static Type<Duration> duration(
      String example, boolean positive, Duration max, String maxText) {
    String expected =
        (positive ? "a positive " : "an ")
            + "ISO-8601 duration"
            + (max == null ? "" : " of at most " + maxText)
            + ", e.g. "
            + example;
    return textType(
        expected,
        text -> {
          Duration duration;
          try {
            duration = Duration.parse(text);
          } catch (DateTimeParseException e) {
            throw new Invalid("is not an ISO-8601 duration, e.g. " + example);
          }
          if (duration.isNegative()
              || (positive && duration.isZero())
              || (max != null && duration.compareTo(max) > 0)) {
            throw new Invalid("is not " + expected);
          }
          return duration;
        });
  }

  private static final Type<Duration> SOAK = duration("P7D", false, PolicyLimits.MAX_SOAK, "P365D");
  private static final Type<Duration> ROLLOUT_DURATION =
      duration("PT48H", true, PolicyLimits.MAX_ROLLOUT, "P3650D");
  private static final Type<Duration> WINDOW_LENGTH =
      duration("PT4H", true, PolicyLimits.MAX_WINDOW, "P7D");

  private static final Type<Instant> INSTANT =
      textType(
          "an ISO-8601 instant, e.g. 2026-11-20T00:00:00Z",
          text -> {
            Instant instant;
            try {
              instant = OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeParseException e) {
              throw new Invalid("is not an ISO-8601 instant, e.g. 2026-11-20T00:00:00Z");
            }
            if (!PolicyLimits.inRange(instant)) {
              throw new Invalid(
                  "is not between "
                      + PolicyLimits.MIN_INSTANT
                      + " and "
                      + PolicyLimits.MAX_INSTANT);
            }
            return instant;
          });

  private static final Type<String> REF =
      textType(
          PolicyRefs.expected(),
          text -> {
            shortText(text, PolicyLimits.MAX_REF);
            if (!PolicyRefs.isValid(text)) {
              throw new Invalid("is not " + PolicyRefs.expected());
            }
            return text;
          });

  private static final Type<ZoneId> ZONE =
      textType(
          "an IANA time zone, e.g. Europe/Berlin or UTC",
          text -> {
            shortText(text, PolicyLimits.MAX_NAME);
            try {
              return ZoneId.of(text);
            } catch (DateTimeException e) {
              throw new Invalid("is not an IANA time zone, e.g. Europe/Berlin or UTC");
            }
          });

  private static final Type<LocalTime> TIME =
      textType(
          "a local time HH:MM, e.g. 02:00",
          text -> {
            if (!HH_MM.matcher(text).matches()) {
              throw new Invalid("is not a local time HH:MM, e.g. 02:00");
            }
            return LocalTime.parse(text);
          });

  private static final Type<DayOfWeek> DAY =
      textType(
          "one of MON, TUE, WED, THU, FRI, SAT, SUN",
          text -> {
            DayOfWeek day = PolicyWriter.dayOf(text);
            if (day == null) {
              throw new Invalid("is not one of MON, TUE, WED, THU, FRI, SAT, SUN");
            }
            return day;
          });

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
      JsonNode schema = field(root, "schema");
      if (schema == null) {
        error("schema", "missing; expected 1");
        return null;
      }
      if (!schema.isIntegralNumber() || schema.intValue() != Policy.SCHEMA) {
        error(
            "schema",
            describe(schema) + " is not a supported schema version; this Sluice reads schema 1");
        return null;
      }
      unknownFields(root, "", TOP_LEVEL_FIELDS);
      Map<Channel, ChannelPolicy> channels = channels(field(root, "channels"));
      LotteryPolicy lottery = lottery(field(root, "lottery"));
      PromotionPolicy promotion = promotion(field(root, "promotion"));
      List<String> frozen = frozen(root, lottery);
      List<Deadend> deadends =
          refList(root, "deadends", PolicyLimits.MAX_DEADENDS, (ref, why) -> new Deadend(ref, why));
      List<Barrier> barriers =
          refList(root, "barriers", PolicyLimits.MAX_BARRIERS, (ref, why) -> new Barrier(ref, why));
      List<Rollout> rollouts = rollouts(root);
      List<MaintenanceWindow> windows = windows(root);
      Integer maxAttempts =
          value(
              root,
              "",
              "maxAttempts",
              wholeNumber(1, PolicyLimits.MAX_ATTEMPTS),
              Policy.DEFAULT_MAX_ATTEMPTS);
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
            maxAttempts);
      } catch (IllegalArgumentException e) {
        error("(document)", e.getMessage());
        return null;
      }
    }

    Map<Channel, ChannelPolicy> channels(JsonNode node) {
      Map<Channel, ChannelPolicy> channels = new EnumMap<>(Channel.class);
      List<String> names = new ArrayList<>();
      for (Channel channel : Channel.values()) {
        names.add(channel.id());
        channels.put(channel, ChannelPolicy.defaultFor(channel));
      }
      if (node == null || !object(node, "channels", names)) {
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
      if (!object(node, path, CHANNEL_FIELDS)) {
        return null;
      }
      ChannelPolicy defaults = ChannelPolicy.defaultFor(channel);
      String branch = value(node, path, "branch", BRANCH, defaults.branch());
      TagPattern tagPattern = value(node, path, "tagPattern", TAG_PATTERN, defaults.tagPattern());
      Track track = value(node, path, "track", TRACK, defaults.track());
      Boolean paused = value(node, path, "paused", BOOLEAN, false);
      String pauseReason = value(node, path, "pauseReason", OPTIONAL_TEXT, null);
      if (branch == null || tagPattern == null || track == null || paused == null) {
        return null;
      }
      return new ChannelPolicy(branch, tagPattern, track, paused, pauseReason);
    }

    LotteryPolicy lottery(JsonNode node) {
      LotteryPolicy defaults = LotteryPolicy.defaults();
      if (node == null || !object(node, "lottery", LOTTERY_FIELDS)) {
        return defaults;
      }
      Double probability = value(node, "lottery", "probability", FRACTION, defaults.probability());
      Period period = value(node, "lottery", "period", PERIOD, defaults.period());
      Map<String, Double> weights = new LinkedHashMap<>();
      JsonNode weightsNode = field(node, "groupWeights");
      if (weightsNode != null
          && object(weightsNode, "lottery.groupWeights", null)
          && size(weightsNode, "lottery.groupWeights", PolicyLimits.MAX_GROUP_WEIGHTS)) {
        for (Iterator<Map.Entry<String, JsonNode>> it = weightsNode.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> entry = it.next();
          String path = "lottery.groupWeights." + clip(entry.getKey());
          if (entry.getKey().isBlank()) {
            error(path, "a group name must not be empty");
            continue;
          }
          if (entry.getKey().length() > PolicyLimits.MAX_NAME) {
            error(
                path,
                "a group name must not be longer than " + PolicyLimits.MAX_NAME + " characters");
            continue;
          }
          Double weight = convert(entry.getValue(), path, FRACTION);
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
      if (node == null || !object(node, "promotion", PROMOTION_FIELDS)) {
        return defaults;
      }
      Duration soak = value(node, "promotion", "soak", SOAK, defaults.soak());
      Integer minHealthy =
          value(
              node,
              "promotion",
              "minHealthyPreprodNodes",
              wholeNumber(0, PolicyLimits.MAX_HEALTHY_NODES),
              defaults.minHealthyPreprodNodes());
      Double maxFailureRatio =
          value(node, "promotion", "maxFailureRatio", FRACTION, defaults.maxFailureRatio());
      if (soak == null || minHealthy == null || maxFailureRatio == null) {
        return defaults;
      }
      return new PromotionPolicy(soak, minHealthy, maxFailureRatio);
    }

    List<String> frozen(JsonNode root, LotteryPolicy lottery) {
      List<String> frozen = new ArrayList<>();
      List<JsonNode> items =
          array(root, "frozen", "an array of node ids and group names", PolicyLimits.MAX_FROZEN);
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

    <T> List<T> refList(JsonNode root, String name, int max, RefEntry<T> factory) {
      List<T> entries = new ArrayList<>();
      Set<String> seen = new HashSet<>();
      List<JsonNode> items = array(root, name, "an array of {\"ref\", \"reason\"} objects", max);
      for (int i = 0; i < items.size(); i++) {
        String path = name + "[" + i + "]";
        JsonNode item = items.get(i);
        if (!object(item, path, REF_FIELDS)) {
          continue;
        }
        String ref = value(item, path, "ref", REF, null, true);
        String reason = value(item, path, "reason", REASON, null, true);
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
      List<JsonNode> items =
          array(
              root,
              "rollouts",
              "an array of {\"ref\", \"start\", \"duration\"} objects",
              PolicyLimits.MAX_ROLLOUTS);
      for (int i = 0; i < items.size(); i++) {
        String path = "rollouts[" + i + "]";
        JsonNode item = items.get(i);
        if (!object(item, path, ROLLOUT_FIELDS)) {
          continue;
        }
        String ref = value(item, path, "ref", REF, null, true);
        Instant start = value(item, path, "start", INSTANT, null, true);
        Duration duration = value(item, path, "duration", ROLLOUT_DURATION, null, true);
        Double startFraction = value(item, path, "startFraction", FRACTION, 0.0);
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
      List<JsonNode> items =
          array(
              root,
              "maintenanceWindows",
              "an array of {\"days\", \"start\", \"length\", \"zone\"} objects",
              PolicyLimits.MAX_WINDOWS);
      for (int i = 0; i < items.size(); i++) {
        String path = "maintenanceWindows[" + i + "]";
        JsonNode item = items.get(i);
        if (!object(item, path, WINDOW_FIELDS)) {
          continue;
        }
        Set<DayOfWeek> days = days(item, path);
        LocalTime start = value(item, path, "start", TIME, null, true);
        Duration length = value(item, path, "length", WINDOW_LENGTH, null, true);
        ZoneId zone = value(item, path, "zone", ZONE, null, true);
        if (days != null && start != null && length != null && zone != null) {
          windows.add(new MaintenanceWindow(days, start, length, zone));
        }
      }
      return windows;
    }

    Set<DayOfWeek> days(JsonNode item, String path) {
      JsonNode node = field(item, "days");
      String daysPath = path + ".days";
      String expected = "a non-empty array of days such as [\"SAT\", \"SUN\"]";
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

    List<JsonNode> array(JsonNode parent, String name, String expected, int max) {
      JsonNode node = field(parent, name);
      if (node == null) {
        return List.of();
      }
      if (!node.isArray()) {
        error(name, describe(node) + " is not " + expected);
        return List.of();
      }
      if (!size(node, name, max)) {
        return List.of();
      }
      List<JsonNode> items = new ArrayList<>();
      node.forEach(items::add);
      return items;
    }

    <T> T value(JsonNode parent, String path, String name, Type<T> type, T fallback) {
      return value(parent, path, name, type, fallback, false);
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
