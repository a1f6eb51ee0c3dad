package dev.sluice.core.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.zafarkhaja.semver.Version;
import dev.sluice.core.channel.Track;
import dev.sluice.core.version.TagPattern;
import java.io.UncheckedIOException;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.Period;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.eclipse.jgit.lib.Repository;

/**
 * The policy format, defined once: every field of {@code channels.json} with its kind of value, its
 * range (from {@link PolicyLimits}), whether it is required and what it means. {@link PolicyParser}
 * walks a document by these declarations, and {@link #schema()} generates the published JSON Schema
 * ({@code channels.schema.json}) from them; a test keeps the committed file equal to the generated
 * one.
 *
 * <p>What a JSON Schema cannot say is checked by the parser alone and named in the schema's
 * descriptions: periods, durations and instants within range, valid git ref names and time zones,
 * refs listed twice, a name both frozen and weighted, two channels sharing a branch or tag pattern.
 *
 * <p>The file is long because the format is: one declaration per field, nothing else.
 */
final class PolicyFormat {

  private PolicyFormat() {}

  private static final Pattern HH_MM = Pattern.compile("([01][0-9]|2[0-3]):[0-5][0-9]");

  /** A value that is not what was expected; the message completes "{value} ...". */
  static final class Invalid extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Invalid(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * One kind of value: what is expected (for messages), a conversion that throws {@link Invalid},
   * and the same rule in JSON Schema (JSON text, as far as a schema can say it).
   */
  record Type<T>(String expected, Function<JsonNode, T> convert, String schema) {}

  private static <T> Type<T> textType(String expected, String schema, Function<String, T> parse) {
    return new Type<>(
        expected,
        node -> {
          if (!node.isTextual()) {
            throw new Invalid("is not " + expected);
          }
          return parse.apply(node.textValue());
        },
        "{\"type\": \"string\", " + schema + "}");
  }

  private static Type<String> text(int max) {
    return textType(
        "a non-empty string",
        "\"minLength\": 1, \"maxLength\": " + max + ", \"pattern\": \"\\\\S\"",
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

  static final Type<String> NAME = text(PolicyLimits.MAX_NAME);
  static final Type<String> REASON = text(PolicyLimits.MAX_REASON);

  static final Type<String> OPTIONAL_TEXT =
      textType(
          "a string",
          "\"maxLength\": " + PolicyLimits.MAX_REASON,
          text -> shortText(text, PolicyLimits.MAX_REASON));

  static final Type<String> BRANCH =
      textType(
          "a branch name such as master",
          "\"minLength\": 1, \"maxLength\": "
              + PolicyLimits.MAX_REF
              + ", \"not\": {\"pattern\": \"^refs/\"}",
          text -> {
            shortText(text, PolicyLimits.MAX_REF);
            if (text.isBlank()
                || text.startsWith("refs/")
                || !Repository.isValidRefName("refs/heads/" + text)) {
              throw new Invalid("is not a branch name such as master (without refs/heads/)");
            }
            return text;
          });

  static final Type<TagPattern> TAG_PATTERN =
      textType(
          "a tag pattern with exactly one *, e.g. v* or v*_pre",
          "\"maxLength\": " + PolicyLimits.MAX_TAG_PATTERN + ", \"pattern\": \"^[^*]*\\\\*[^*]*$\"",
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

  static final Type<Track> TRACK =
      textType(
          "\"branch\" or \"tag\"",
          "\"enum\": [\"branch\", \"tag\"]",
          text -> {
            try {
              return Track.parse(text);
            } catch (IllegalArgumentException e) {
              throw new Invalid("is not \"branch\" or \"tag\"");
            }
          });

  static final Type<Boolean> BOOLEAN =
      new Type<>(
          "true or false",
          node -> {
            if (!node.isBoolean()) {
              throw new Invalid("is not true or false");
            }
            return node.booleanValue();
          },
          "{\"type\": \"boolean\"}");

  static final Type<Double> FRACTION =
      new Type<>(
          "a number in [0,1]",
          node -> {
            if (!node.isNumber() || !(node.doubleValue() >= 0.0 && node.doubleValue() <= 1.0)) {
              throw new Invalid("is not a number in [0,1]");
            }
            return node.doubleValue();
          },
          "{\"type\": \"number\", \"minimum\": 0, \"maximum\": 1}");

  static Type<Integer> wholeNumber(int min, int max) {
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
        },
        "{\"type\": \"integer\", \"minimum\": " + min + ", \"maximum\": " + max + "}");
  }

  static final Type<Period> PERIOD =
      textType(
          "an ISO-8601 period from P1D to P1Y, e.g. P1M",
          "\"pattern\": \"^P(?!$)([0-9]+Y)?([0-9]+M)?([0-9]+W)?([0-9]+D)?$\"",
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
        "\"pattern\": \"^P(?!$)([0-9]+D)?(T(?=[0-9])([0-9]+H)?([0-9]+M)?([0-9]+(\\\\.[0-9]+)?S)?)?$\"",
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

  static final Type<Duration> SOAK = duration("P7D", false, PolicyLimits.MAX_SOAK, "P365D");
  static final Type<Duration> ROLLOUT_DURATION =
      duration("PT48H", true, PolicyLimits.MAX_ROLLOUT, "P3650D");
  static final Type<Duration> WINDOW_LENGTH =
      duration("PT4H", true, PolicyLimits.MAX_WINDOW, "P7D");

  static final Type<Duration> GUARD_WINDOW =
      textType(
          "an ISO-8601 duration from PT1M to P30D, e.g. PT2H",
          "\"pattern\": \"^P(?!$)([0-9]+D)?(T(?=[0-9])([0-9]+H)?([0-9]+M)?([0-9]+(\\\\.[0-9]+)?S)?)?$\"",
          text -> {
            Duration duration;
            try {
              duration = Duration.parse(text);
            } catch (DateTimeParseException e) {
              throw new Invalid("is not an ISO-8601 duration, e.g. PT2H");
            }
            if (duration.compareTo(PolicyLimits.MIN_GUARD_WINDOW) < 0
                || duration.compareTo(PolicyLimits.MAX_GUARD_WINDOW) > 0) {
              throw new Invalid("is not an ISO-8601 duration from PT1M to P30D, e.g. PT2H");
            }
            return duration;
          });

  static final Type<GuardAction> GUARD_ACTION =
      textType(
          "\"pause\", \"dead-end\" or \"off\"",
          "\"enum\": [\"pause\", \"dead-end\", \"off\"]",
          text -> {
            GuardAction action = GuardAction.of(text);
            if (action == null || !action.id().equals(text)) {
              throw new Invalid("is not \"pause\", \"dead-end\" or \"off\"");
            }
            return action;
          });

  static final Type<GuardAction> HALT_ACTION =
      textType(
          "\"pause\" or \"dead-end\"",
          "\"enum\": [\"pause\", \"dead-end\"]",
          text -> {
            GuardAction action = GuardAction.of(text);
            if (action == null || action == GuardAction.OFF || !action.id().equals(text)) {
              throw new Invalid("is not \"pause\" or \"dead-end\"");
            }
            return action;
          });

  static final Type<Instant> INSTANT =
      textType(
          "an ISO-8601 instant, e.g. 2026-11-20T00:00:00Z",
          "\"format\": \"date-time\", \"pattern\": \"^[0-9]{4}-\"",
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

  static final Type<String> REF =
      textType(
          PolicyRefs.expected(),
          "\"minLength\": 1, \"maxLength\": " + PolicyLimits.MAX_REF,
          text -> {
            shortText(text, PolicyLimits.MAX_REF);
            if (!PolicyRefs.isValid(text)) {
              throw new Invalid("is not " + PolicyRefs.expected());
            }
            return text;
          });

  static final Type<ZoneId> ZONE =
      textType(
          "an IANA time zone, e.g. Europe/Berlin or UTC",
          "\"minLength\": 1, \"maxLength\": " + PolicyLimits.MAX_NAME,
          text -> {
            shortText(text, PolicyLimits.MAX_NAME);
            try {
              return ZoneId.of(text);
            } catch (DateTimeException e) {
              throw new Invalid("is not an IANA time zone, e.g. Europe/Berlin or UTC");
            }
          });

  static final Type<LocalTime> TIME =
      textType(
          "a local time HH:MM, e.g. 02:00",
          "\"pattern\": \"^([01][0-9]|2[0-3]):[0-5][0-9]$\"",
          text -> {
            if (!HH_MM.matcher(text).matches()) {
              throw new Invalid("is not a local time HH:MM, e.g. 02:00");
            }
            return LocalTime.parse(text);
          });

  static final Type<DayOfWeek> DAY =
      textType(
          "one of MON, TUE, WED, THU, FRI, SAT, SUN",
          "\"enum\": [\"MON\", \"TUE\", \"WED\", \"THU\", \"FRI\", \"SAT\", \"SUN\"]",
          text -> {
            DayOfWeek day = PolicyWriter.dayOf(text);
            if (day == null) {
              throw new Invalid("is not one of MON, TUE, WED, THU, FRI, SAT, SUN");
            }
            return day;
          });

  static final Type<Integer> SCHEMA_VERSION =
      new Type<>(
          "1",
          node -> {
            if (!node.isIntegralNumber() || node.intValue() != Policy.SCHEMA) {
              throw new Invalid("is not a supported schema version; this Sluice reads schema 1");
            }
            return node.intValue();
          },
          "{\"const\": " + Policy.SCHEMA + "}");

  /** What a JSON value looks like: a single value, an object, an array or a map. */
  sealed interface Shape permits Value, Obj, ArrayOf, MapOf {}

  /** A single value of one type. */
  record Value(Type<?> type) implements Shape {}

  /** An object with exactly these fields (no others). */
  record Obj(List<Field<?>> fields) implements Shape {
    Obj {
      fields = List.copyOf(fields);
    }

    List<String> names() {
      return fields.stream().map(Field::name).toList();
    }
  }

  /** An array of at most {@code maxItems} items; {@code expected} completes "... is not". */
  record ArrayOf(String expected, Shape items, int minItems, int maxItems, boolean unique)
      implements Shape {}

  /** An object used as a map from non-empty names to values. */
  record MapOf(Shape values, int maxEntries, int maxKeyLength) implements Shape {}

  /**
   * One field of an object.
   *
   * @param type the field's type when it holds a single value, else null
   */
  record Field<T>(String name, Shape shape, Type<T> type, boolean required, String description) {}

  private static <T> Field<T> optional(String name, Type<T> type, String description) {
    return new Field<>(name, new Value(type), type, false, description);
  }

  private static <T> Field<T> required(String name, Type<T> type, String description) {
    return new Field<>(name, new Value(type), type, true, description);
  }

  private static Field<Void> optional(String name, Shape shape, String description) {
    return new Field<>(name, shape, null, false, description);
  }

  private static Field<Void> required(String name, Shape shape, String description) {
    return new Field<>(name, shape, null, true, description);
  }

  // channels.<stable|preprod>
  static final Field<String> BRANCH_FIELD =
      optional("branch", BRANCH, "The channel's branch, without refs/heads/.");
  static final Field<TagPattern> TAG_PATTERN_FIELD =
      optional(
          "tagPattern",
          TAG_PATTERN,
          "The channel's release tags: one * stands for a semantic version, e.g. v* or v*_pre.");
  static final Field<Track> TRACK_FIELD =
      optional("track", TRACK, "Whether nodes follow the branch tip or the newest release tag.");
  static final Field<Boolean> PAUSED =
      optional("paused", BOOLEAN, "Whether the channel holds its nodes where they are.");
  static final Field<String> PAUSE_REASON =
      optional("pauseReason", OPTIONAL_TEXT, "Why the channel is paused.");
  static final Field<Boolean> ALLOW_DOWNGRADE =
      optional(
          "allowDowngrade",
          BOOLEAN,
          "Whether nodes follow a target that does not contain the commit they run (a force-pushed"
              + " or replaced branch). Off by default: such a target is held; only a node on a"
              + " dead-end moves backwards.");

  // channels.<stable|preprod>.guard
  static final Field<Double> GUARD_MAX_FAILURE_RATIO =
      optional(
          "maxFailureRatio",
          FRACTION,
          "The guard trips when more than this share of the nodes that tried the channel's"
              + " target within the window failed (failed or rolled back). Default 0.05.");
  static final Field<Integer> GUARD_MIN_SAMPLE =
      optional(
          "minSample",
          wholeNumber(1, PolicyLimits.MAX_GUARD_SAMPLE),
          "How many nodes must have tried the target within the window before the guard judges"
              + " it. Default 20.");
  static final Field<Duration> GUARD_WINDOW_FIELD =
      optional(
          "window", GUARD_WINDOW, "How far back reports count, from PT1M to P30D. Default PT2H.");
  static final Field<GuardAction> GUARD_ACTION_FIELD =
      optional(
          "action",
          GUARD_ACTION,
          "What a trip does: pause the channel, mark the failing commit a dead-end, or off (never"
              + " trip). Default pause.");
  static final Field<Instant> GUARD_COUNT_FROM =
      optional(
          "countFrom",
          INSTANT,
          "Reports received before this instant never count; channel-admin resume sets it, so"
              + " the evidence of a trip cannot trip the guard again.");
  static final Obj GUARD =
      new Obj(
          List.of(
              GUARD_MAX_FAILURE_RATIO,
              GUARD_MIN_SAMPLE,
              GUARD_WINDOW_FIELD,
              GUARD_ACTION_FIELD,
              GUARD_COUNT_FROM));

  // channels.<stable|preprod>.halt
  static final Field<Instant> HALT_AT = required("at", INSTANT, "When the guard tripped.");
  static final Field<GuardAction> HALT_ACTION_FIELD =
      required("action", HALT_ACTION, "What the guard did: pause or dead-end.");
  static final Field<String> HALT_COMMIT =
      required("commit", REF, "The channel's target that failed: a full commit id.");
  static final Field<String> HALT_REASON =
      required("reason", REASON, "The evidence in one line: counts, ratio, window.");
  static final Obj HALT = new Obj(List.of(HALT_AT, HALT_ACTION_FIELD, HALT_COMMIT, HALT_REASON));

  static final Obj CHANNEL =
      new Obj(
          List.of(
              BRANCH_FIELD,
              TAG_PATTERN_FIELD,
              TRACK_FIELD,
              PAUSED,
              PAUSE_REASON,
              ALLOW_DOWNGRADE,
              optional(
                  "guard",
                  GUARD,
                  "When fleet-web halts this channel by itself: more than maxFailureRatio of at"
                      + " least minSample nodes failed the target within the window. Default:"
                      + " maxFailureRatio 0.05, minSample 20, window PT2H, action pause."),
              optional(
                  "halt",
                  HALT,
                  "Written by fleet-web when the guard trips; channel-admin resume clears it.")));
  static final Obj CHANNELS =
      new Obj(
          List.of(
              optional(
                  "stable",
                  CHANNEL,
                  "Defaults: branch master, tagPattern v*, track branch, not paused."),
              optional(
                  "preprod",
                  CHANNEL,
                  "Defaults: branch preprod, tagPattern v*_pre, track branch, not paused.")));

  // lottery
  static final Field<Double> PROBABILITY =
      optional("probability", FRACTION, "Share of the fleet that rides preprod. Default 0.07.");
  static final Field<Period> PERIOD_FIELD =
      optional(
          "period",
          PERIOD,
          "How long a lottery ticket lasts (ISO-8601 period, calendar, UTC), from P1D to P1Y; a"
              + " period mixing months and days counts 31 days a month. Default P1M.");
  static final MapOf GROUP_WEIGHTS_SHAPE =
      new MapOf(new Value(FRACTION), PolicyLimits.MAX_GROUP_WEIGHTS, PolicyLimits.MAX_NAME);
  static final Obj LOTTERY =
      new Obj(
          List.of(
              PROBABILITY,
              PERIOD_FIELD,
              optional(
                  "groupWeights",
                  GROUP_WEIGHTS_SHAPE,
                  "Weights that replace the probability for nodes in these groups; 1.0 = always"
                      + " preprod.")));

  // promotion
  static final Field<Duration> SOAK_FIELD =
      optional(
          "soak",
          SOAK,
          "How long a preprod release soaks before promotion, from PT0S to P365D. Default P7D.");
  static final Field<Integer> MIN_HEALTHY =
      optional(
          "minHealthyPreprodNodes",
          wholeNumber(0, PolicyLimits.MAX_HEALTHY_NODES),
          "Healthy preprod nodes that must run the release (0 = no minimum). Default 0.");
  static final Field<Double> MAX_FAILURE_RATIO =
      optional(
          "maxFailureRatio",
          FRACTION,
          "Largest share of preprod nodes that may have failed on it. Default 0.05.");
  static final Obj PROMOTION = new Obj(List.of(SOAK_FIELD, MIN_HEALTHY, MAX_FAILURE_RATIO));

  // deadends[], barriers[]
  static final Field<String> REF_FIELD =
      required(
          "ref",
          REF,
          "A tag name (v5.1.0), a full ref (refs/tags/v5.1.0) or a commit id (7 to 40 hex"
              + " digits); a valid git ref name.");
  static final Field<String> REASON_FIELD = required("reason", REASON, "Why, for people.");
  static final Obj REF_ENTRY = new Obj(List.of(REF_FIELD, REASON_FIELD));

  // rollouts[]
  static final Field<Instant> ROLLOUT_START =
      required(
          "start",
          INSTANT,
          "When the rollout begins: an ISO-8601 instant from 1970-01-01T00:00:00Z to"
              + " 9999-12-31T23:59:59Z.");
  static final Field<Duration> ROLLOUT_DURATION_FIELD =
      required(
          "duration",
          ROLLOUT_DURATION,
          "How long it takes to reach the whole fleet: positive, at most P3650D.");
  static final Field<Double> START_FRACTION =
      optional(
          "startFraction", FRACTION, "Share of the fleet that may take it at start. Default 0.");
  static final Obj ROLLOUT =
      new Obj(List.of(REF_FIELD, ROLLOUT_START, ROLLOUT_DURATION_FIELD, START_FRACTION));

  // maintenanceWindows[]
  static final ArrayOf DAYS_SHAPE =
      new ArrayOf(
          "a non-empty array of days such as [\"SAT\", \"SUN\"]", new Value(DAY), 1, 7, true);
  static final Field<LocalTime> WINDOW_START =
      required("start", TIME, "Local opening time HH:MM in the zone.");
  static final Field<Duration> WINDOW_LENGTH_FIELD =
      required(
          "length", WINDOW_LENGTH, "Elapsed time the window stays open: positive, at most P7D.");
  static final Field<ZoneId> ZONE_FIELD =
      required("zone", ZONE, "IANA time zone of the start time, e.g. UTC or Europe/Berlin.");
  static final Obj WINDOW =
      new Obj(
          List.of(
              required("days", DAYS_SHAPE, "The days on which the window opens."),
              WINDOW_START,
              WINDOW_LENGTH_FIELD,
              ZONE_FIELD));

  // top level
  static final ArrayOf FROZEN =
      new ArrayOf(
          "an array of node ids and group names",
          new Value(NAME),
          0,
          PolicyLimits.MAX_FROZEN,
          true);
  static final ArrayOf DEADENDS =
      new ArrayOf(
          "an array of {\"ref\", \"reason\"} objects",
          REF_ENTRY,
          0,
          PolicyLimits.MAX_DEADENDS,
          false);
  static final ArrayOf BARRIERS =
      new ArrayOf(
          "an array of {\"ref\", \"reason\"} objects",
          REF_ENTRY,
          0,
          PolicyLimits.MAX_BARRIERS,
          false);
  static final ArrayOf ROLLOUTS =
      new ArrayOf(
          "an array of {\"ref\", \"start\", \"duration\"} objects",
          ROLLOUT,
          0,
          PolicyLimits.MAX_ROLLOUTS,
          false);
  static final ArrayOf WINDOWS =
      new ArrayOf(
          "an array of {\"days\", \"start\", \"length\", \"zone\"} objects",
          WINDOW,
          0,
          PolicyLimits.MAX_WINDOWS,
          false);
  static final Field<Integer> MAX_ATTEMPTS =
      optional(
          "maxAttempts",
          wholeNumber(1, PolicyLimits.MAX_ATTEMPTS),
          "Failed attempts at one commit before a node skips it until a newer one appears."
              + " Default 3.");

  // updateLimits
  static final Type<Duration> SLOT_EXPIRY =
      textType(
          "an ISO-8601 duration from PT1M to P1D, e.g. PT1H",
          "\"pattern\": \"^P(?!$)([0-9]+D)?(T(?=[0-9])([0-9]+H)?([0-9]+M)?([0-9]+(\\\\.[0-9]+)?S)?)?$\"",
          text -> {
            Duration duration;
            try {
              duration = Duration.parse(text);
            } catch (DateTimeParseException e) {
              throw new Invalid("is not an ISO-8601 duration, e.g. PT1H");
            }
            if (!PolicyLimits.inRange(
                duration, PolicyLimits.MIN_SLOT_EXPIRY, PolicyLimits.MAX_SLOT_EXPIRY)) {
              throw new Invalid("is not an ISO-8601 duration from PT1M to P1D, e.g. PT1H");
            }
            return duration;
          });

  static final Type<UpdateLimits.OnLockUnavailable> ON_LOCK_UNAVAILABLE =
      textType(
          "\"wait\" or \"proceed\"",
          "\"enum\": [\"wait\", \"proceed\"]",
          text -> {
            try {
              return UpdateLimits.OnLockUnavailable.parse(text);
            } catch (IllegalArgumentException e) {
              throw new Invalid("is not \"wait\" or \"proceed\"");
            }
          });

  static final Field<Integer> MAX_CONCURRENT_UPDATES =
      optional(
          "maxConcurrentUpdates",
          wholeNumber(1, PolicyLimits.MAX_UPDATE_LIMIT),
          "The most nodes updating at once: slots taken and not yet given back or expired.");
  static final Field<Integer> MAX_UPDATES_PER_HOUR =
      optional(
          "maxUpdatesPerHour",
          wholeNumber(1, PolicyLimits.MAX_UPDATE_LIMIT),
          "The most slots granted in any 60 minutes (given back or not).");
  static final Obj UPDATE_LIMIT = new Obj(List.of(MAX_CONCURRENT_UPDATES, MAX_UPDATES_PER_HOUR));
  static final String UPDATE_LIMIT_RULE =
      " Each limit sets maxConcurrentUpdates, maxUpdatesPerHour or both.";
  static final Obj LIMIT_CHANNELS =
      new Obj(
          List.of(
              optional("stable", UPDATE_LIMIT, "The stable channel's limit." + UPDATE_LIMIT_RULE),
              optional(
                  "preprod", UPDATE_LIMIT, "The preprod channel's limit." + UPDATE_LIMIT_RULE)));
  static final MapOf LIMIT_GROUPS_SHAPE =
      new MapOf(UPDATE_LIMIT, PolicyLimits.MAX_LIMITED_GROUPS, PolicyLimits.MAX_NAME);
  static final Field<Duration> SLOT_EXPIRY_FIELD =
      optional(
          "slotExpiry",
          SLOT_EXPIRY,
          "How long a slot that is not given back stays taken (a node that died or failed its"
              + " update), from PT1M to P1D. Default PT1H.");
  static final Field<UpdateLimits.OnLockUnavailable> ON_LOCK_UNAVAILABLE_FIELD =
      optional(
          "onLockUnavailable",
          ON_LOCK_UNAVAILABLE,
          "What a node that needs a slot does when fleet-web cannot be reached: wait (hold,"
              + " reason no-slot) or proceed (move without a slot). Default wait.");
  static final Obj UPDATE_LIMITS =
      new Obj(
          List.of(
              optional(
                  "channels",
                  LIMIT_CHANNELS,
                  "Limits per channel, for nodes whose groups have no limit."),
              optional(
                  "groups",
                  LIMIT_GROUPS_SHAPE,
                  "Limits per group of nodes (a node's first group listed here is its lock group)"
                      + " or FleetLock group."
                      + UPDATE_LIMIT_RULE),
              SLOT_EXPIRY_FIELD,
              ON_LOCK_UNAVAILABLE_FIELD));

  /** The whole document, its fields in the order {@link PolicyWriter} writes them. */
  static final Obj DOCUMENT =
      new Obj(
          List.of(
              required("schema", SCHEMA_VERSION, "The policy schema version."),
              optional("channels", CHANNELS, "Where each channel lives in git, and its pause."),
              optional("lottery", LOTTERY, "The preprod lottery."),
              optional("promotion", PROMOTION, "The gates of a promotion to stable."),
              optional(
                  "frozen",
                  FROZEN,
                  "Node ids and group names that never move; a name here must not have a group"
                      + " weight."),
              optional(
                  "deadends",
                  DEADENDS,
                  "Commits no node moves onto; a node on one moves to its channel's target. Each"
                      + " ref at most once."),
              optional(
                  "barriers",
                  BARRIERS,
                  "Commits every node below them passes through before anything newer. Each ref"
                      + " at most once."),
              optional(
                  "rollouts",
                  ROLLOUTS,
                  "Phased rollouts: a node takes the release once startFraction + (1 -"
                      + " startFraction) * elapsed / duration reaches its ticket. Each ref at"
                      + " most once."),
              optional(
                  "maintenanceWindows",
                  WINDOWS,
                  "When nodes may update; none = any time. A window crossing midnight belongs to"
                      + " the day it started."),
              MAX_ATTEMPTS,
              optional(
                  "updateLimits",
                  UPDATE_LIMITS,
                  "How fast the fleet moves: a node takes an update slot from fleet-web (FleetLock)"
                      + " before it moves and gives it back once healthy. No limits = no slots.")));

  private static final ObjectMapper MAPPER = JsonMapper.builder().build();

  /**
   * The JSON Schema (draft 2020-12) of {@code channels.json}, generated from the declarations
   * above, with the built-in defaults.
   */
  static ObjectNode schema() {
    ObjectNode schema = MAPPER.createObjectNode();
    schema.put("$schema", "https://json-schema.org/draft/2020-12/schema");
    schema.put(
        "title", "Sluice rollout policy (channels.json on the rollout-policy branch), schema 1");
    schema.put(
        "description",
        "Generated from dev.sluice.core.policy.PolicyFormat; do not edit by hand. Only schema is"
            + " required; every other field takes its built-in default when missing or null."
            + " Sluice also checks what this schema cannot say: periods, durations and instants"
            + " within the ranges given in the descriptions, valid git ref names and time zones,"
            + " refs listed twice, a name both frozen and weighted, two channels sharing a branch"
            + " or tag pattern. Run 'channel-admin policy validate' for the full check.");
    schema.setAll(shape(DOCUMENT, PolicyWriter.toTree(Policy.defaults())));
    return schema;
  }

  /** {@link #schema()} as the text of {@code channels.schema.json}. */
  static String schemaText() {
    return PolicyWriter.pretty(schema());
  }

  private static ObjectNode shape(Shape shape, JsonNode defaults) {
    if (shape instanceof Value value) {
      try {
        return (ObjectNode) MAPPER.readTree(value.type().schema());
      } catch (JsonProcessingException e) {
        throw new UncheckedIOException(e);
      }
    }
    ObjectNode node = MAPPER.createObjectNode();
    if (shape instanceof Obj object) {
      node.put("type", "object");
      node.put("additionalProperties", false);
      ArrayNode required = MAPPER.createArrayNode();
      ObjectNode properties = MAPPER.createObjectNode();
      for (Field<?> field : object.fields()) {
        ObjectNode property = properties.putObject(field.name());
        property.put("description", field.description());
        JsonNode fieldDefault = defaults == null ? null : defaults.get(field.name());
        property.setAll(shape(field.shape(), fieldDefault));
        if (field.required()) {
          required.add(field.name());
        } else if (fieldDefault != null) {
          property.set("default", fieldDefault);
        }
      }
      if (!required.isEmpty()) {
        node.set("required", required);
      }
      node.set("properties", properties);
    } else if (shape instanceof ArrayOf array) {
      node.put("type", "array");
      if (array.minItems() > 0) {
        node.put("minItems", array.minItems());
      }
      node.put("maxItems", array.maxItems());
      if (array.unique()) {
        node.put("uniqueItems", true);
      }
      node.set("items", shape(array.items(), null));
    } else if (shape instanceof MapOf map) {
      node.put("type", "object");
      node.put("maxProperties", map.maxEntries());
      node.putObject("propertyNames")
          .put("minLength", 1)
          .put("maxLength", map.maxKeyLength())
          .put("pattern", "\\S");
      node.set("additionalProperties", shape(map.values(), null));
    }
    return node;
  }
}
