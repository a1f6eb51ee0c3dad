package dev.sluice.web.fleet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.channel.Channel;
import dev.sluice.core.git.RemoteUrls;
import dev.sluice.core.json.Json;
import dev.sluice.core.report.Action;
import dev.sluice.core.report.NodeReport;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Turns the bytes a node posted into a {@link NodeReport}, refusing anything that is not a sane
 * report: wrong types, missing fields, ids that are not UUIDs, commits that are not 40 hex digits,
 * tickets outside [0,1), times in the future, oversized strings and lists.
 *
 * <p>Everything a node sends is untrusted, so the reasons name the field but never echo its value.
 *
 * <p>It is one class because it is fleet-web's one statement of what a report may hold: the limits,
 * the field table and the value rules change together whenever the report format does, and the
 * published report schema's test reads its field table. Splitting shape from values would put the
 * format in two files.
 */
public final class ReportValidator {

  /** Largest body accepted, in bytes. */
  public static final int MAX_BODY_BYTES = 64 * 1024;

  static final int MAX_GROUPS = 32;
  static final int MAX_WARNINGS = 32;
  static final int MAX_SHORT = 128;

  /** A remote URL. */
  static final int MAX_REMOTE = 2048;

  /** Free text (messages, reasons) may carry the tail of a hook's output; still bounded. */
  static final int MAX_TEXT = 8_000;

  /** Reports may come from nodes whose clock runs a little ahead; this much is tolerated. */
  static final Duration CLOCK_SKEW = Duration.ofMinutes(10);

  /** Nothing Sluice reports happened before this. */
  static final Instant EPOCH_FLOOR = Instant.parse("2000-01-01T00:00:00Z");

  private static final Pattern UUID =
      Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
  private static final Pattern COMMIT = Pattern.compile("[0-9a-fA-F]{40}");
  private static final Pattern CODE = Pattern.compile("[A-Za-z0-9._:/-]{1,64}");

  /** The JSON type each known top-level field must have (null is allowed unless required). */
  private static final Map<String, JsonNodeType> FIELDS =
      Map.ofEntries(
          Map.entry("node", JsonNodeType.STRING),
          Map.entry("channel", JsonNodeType.STRING),
          Map.entry("preprod", JsonNodeType.BOOLEAN),
          Map.entry("groups", JsonNodeType.ARRAY),
          Map.entry("lottery", JsonNodeType.OBJECT),
          Map.entry("target", JsonNodeType.OBJECT),
          Map.entry("previousCommit", JsonNodeType.STRING),
          Map.entry("currentCommit", JsonNodeType.STRING),
          Map.entry("version", JsonNodeType.STRING),
          Map.entry("action", JsonNodeType.STRING),
          Map.entry("message", JsonNodeType.STRING),
          Map.entry("reason", JsonNodeType.OBJECT),
          Map.entry("savedLocalChanges", JsonNodeType.STRING),
          Map.entry("warnings", JsonNodeType.ARRAY),
          Map.entry("startedAt", JsonNodeType.STRING),
          Map.entry("finishedAt", JsonNodeType.STRING),
          Map.entry("name", JsonNodeType.STRING),
          Map.entry("updaterVersion", JsonNodeType.STRING),
          Map.entry("remote", JsonNodeType.STRING));

  /** The top-level fields a report must have (non-null). */
  static final List<String> REQUIRED = List.of("node", "channel", "preprod", "action", "message");

  /** The top-level fields and their JSON types, for the published schema's test. */
  static Map<String, JsonNodeType> topLevelTypes() {
    return FIELDS;
  }

  private static final Map<String, JsonNodeType> LOTTERY_FIELDS =
      Map.of(
          "ticket", JsonNodeType.NUMBER,
          "weight", JsonNodeType.NUMBER,
          "drawnAt", JsonNodeType.STRING,
          "nextDrawAt", JsonNodeType.STRING,
          "reason", JsonNodeType.STRING);

  private static final Map<String, JsonNodeType> TARGET_FIELDS =
      Map.of(
          "ref", JsonNodeType.STRING,
          "commit", JsonNodeType.STRING,
          "version", JsonNodeType.STRING);

  private static final Map<String, JsonNodeType> REASON_FIELDS =
      Map.of("code", JsonNodeType.STRING, "text", JsonNodeType.STRING);

  /** Sluice's mapper, refusing a key that appears twice in one object. */
  private static final ObjectMapper MAPPER =
      ((JsonMapper) Json.newMapper())
          .rebuild()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .build();

  private static final Pattern FIELD_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
  private static final Pattern DUPLICATE = Pattern.compile("Duplicate field '([^']*)'");

  private final ObjectMapper mapper = MAPPER;
  private final Clock clock;

  public ReportValidator(Clock clock) {
    this.clock = clock;
  }

  /**
   * A report as posted: the node's run and what the sender put around it.
   *
   * @param schema the report schema version (1 when the report does not say)
   * @param sequence the report's sequence number (schema 2, signed reports), else null
   * @param sentAt when the node sent it, on its clock (schema 2), else null
   */
  public record Posted(NodeReport report, int schema, Long sequence, Instant sentAt) {}

  /** The top-level fields schema 2 added, around the run's own. */
  static final List<String> ENVELOPE_FIELDS =
      List.of(NodeReport.SEQUENCE_FIELD, NodeReport.SENT_AT_FIELD);

  /**
   * Parses and validates one report.
   *
   * @throws InvalidReportException naming the first problem found
   */
  public NodeReport validate(byte[] body) {
    return read(body).report();
  }

  /**
   * Parses and validates one report with its schema version, sequence number and sending time.
   *
   * @throws InvalidReportException naming the first problem found
   */
  public Posted read(byte[] body) {
    if (body.length > MAX_BODY_BYTES) {
      throw new InvalidReportException("report is larger than " + MAX_BODY_BYTES + " bytes");
    }
    JsonNode tree;
    try {
      tree = mapper.readTree(body);
    } catch (IOException e) {
      Matcher duplicate = DUPLICATE.matcher(String.valueOf(e.getMessage()));
      if (duplicate.find()) {
        throw new InvalidReportException(
            "report has the key " + fieldName(duplicate.group(1)) + " more than once");
      }
      throw new InvalidReportException("report is not valid JSON");
    }
    if (tree == null || !tree.isObject()) {
      throw new InvalidReportException("report must be a JSON object");
    }
    ObjectNode object = (ObjectNode) tree;
    int schema = checkSchema(object.remove(NodeReport.SCHEMA_FIELD));
    Long sequence = sequence(schema, object.remove(NodeReport.SEQUENCE_FIELD));
    Instant sentAt = sentAt(schema, object.remove(NodeReport.SENT_AT_FIELD));
    object
        .fieldNames()
        .forEachRemaining(
            name -> {
              if (!FIELDS.containsKey(name)) {
                throw new InvalidReportException(
                    "report has an unknown top-level field " + fieldName(name));
              }
            });
    checkTypes("", object, FIELDS);
    for (String required : REQUIRED) {
      if (!object.hasNonNull(required)) {
        throw new InvalidReportException("field '" + required + "' is required");
      }
    }
    checkNested("lottery", object, LOTTERY_FIELDS);
    checkNested("target", object, TARGET_FIELDS);
    checkNested("reason", object, REASON_FIELDS);
    JsonNode reason = object.get("reason");
    if (reason != null
        && reason.isObject()
        && !(reason.hasNonNull("code") && reason.hasNonNull("text"))) {
      throw new InvalidReportException("field 'reason' needs both 'code' and 'text'");
    }
    checkStringArray(object, "groups", MAX_GROUPS, MAX_SHORT);
    checkStringArray(object, "warnings", MAX_WARNINGS, MAX_TEXT);

    String action = object.get("action").textValue();
    if (Arrays.stream(Action.values()).noneMatch(a -> a.id().equals(action))) {
      throw new InvalidReportException(
          "field 'action' must be one of "
              + Arrays.stream(Action.values()).map(Action::id).collect(Collectors.joining(", ")));
    }
    NodeReport report;
    try {
      report = mapper.treeToValue(object, NodeReport.class);
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw new InvalidReportException(cause(e));
    }
    checkValues(report);
    return new Posted(normalised(report), schema, sequence, sentAt);
  }

  /** A field name for a refusal: quoted when it is harmless, else not echoed. */
  private static String fieldName(String name) {
    return FIELD_NAME.matcher(name).matches() ? "'" + name + "'" : "(a name that is not shown)";
  }

  private static int checkSchema(JsonNode schema) {
    if (schema == null) {
      return 1;
    }
    if (!schema.isInt() || schema.intValue() < 1) {
      throw new InvalidReportException("field 'schema' must be a whole number >= 1");
    }
    if (schema.intValue() > NodeReport.SCHEMA_VERSION) {
      throw new InvalidReportException(
          "report schema "
              + schema.intValue()
              + " is newer than this fleet-web reads ("
              + NodeReport.SCHEMA_VERSION
              + "): upgrade fleet-web");
    }
    return schema.intValue();
  }

  private static void needsSchema2(int schema, String field) {
    if (schema < 2) {
      throw new InvalidReportException(
          "report has an unknown top-level field '" + field + "' (it needs \"schema\": 2)");
    }
  }

  private static Long sequence(int schema, JsonNode value) {
    if (value == null || value.isNull()) {
      return null;
    }
    needsSchema2(schema, NodeReport.SEQUENCE_FIELD);
    if (!value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() < 1) {
      throw new InvalidReportException(
          "field '" + NodeReport.SEQUENCE_FIELD + "' must be a whole number >= 1");
    }
    return value.longValue();
  }

  private Instant sentAt(int schema, JsonNode value) {
    if (value == null || value.isNull()) {
      if (schema >= 2) {
        throw new InvalidReportException(
            "field '" + NodeReport.SENT_AT_FIELD + "' is required in report schema 2");
      }
      return null;
    }
    needsSchema2(schema, NodeReport.SENT_AT_FIELD);
    Instant time;
    try {
      time = Instant.parse(value.isTextual() ? value.textValue() : "");
    } catch (java.time.format.DateTimeParseException e) {
      throw new InvalidReportException(
          "field '" + NodeReport.SENT_AT_FIELD + "' must be an ISO-8601 instant");
    }
    checkTime(NodeReport.SENT_AT_FIELD, time);
    return time;
  }

  private static String cause(Exception e) {
    if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
      StringBuilder path = new StringBuilder();
      for (JsonMappingException.Reference reference : mapping.getPath()) {
        if (reference.getFieldName() != null) {
          path.append(path.length() == 0 ? "" : ".").append(reference.getFieldName());
        }
      }
      if (path.length() > 0) {
        return "field '" + path + "' has the wrong form";
      }
    }
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    if (root instanceof IllegalArgumentException && root.getMessage() != null) {
      return "report does not match the report schema: "
          + FleetDatabase.firstLine(root.getMessage());
    }
    return "report does not match the report schema";
  }

  private static void checkTypes(
      String prefix, ObjectNode object, Map<String, JsonNodeType> types) {
    Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      JsonNodeType expected = types.get(field.getKey());
      JsonNode value = field.getValue();
      if (expected == null || value.isNull()) {
        continue;
      }
      if (value.getNodeType() != expected) {
        throw new InvalidReportException(
            "field '"
                + prefix
                + field.getKey()
                + "' must be "
                + expected.name().toLowerCase(Locale.ROOT)
                + ", not "
                + value.getNodeType().name().toLowerCase(Locale.ROOT));
      }
    }
  }

  private static void checkNested(String name, ObjectNode parent, Map<String, JsonNodeType> types) {
    JsonNode value = parent.get(name);
    if (value != null && value.isObject()) {
      checkTypes(name + ".", (ObjectNode) value, types);
    }
  }

  private static void checkStringArray(ObjectNode object, String name, int maxItems, int maxLen) {
    JsonNode array = object.get(name);
    if (array == null || array.isNull()) {
      return;
    }
    if (array.size() > maxItems) {
      throw new InvalidReportException(
          "field '" + name + "' has more than " + maxItems + " entries");
    }
    for (JsonNode item : array) {
      if (!item.isTextual()) {
        throw new InvalidReportException("field '" + name + "' must hold only strings");
      }
      if (item.textValue().isBlank() || item.textValue().length() > maxLen) {
        throw new InvalidReportException(
            "field '" + name + "' has an entry that is empty or longer than " + maxLen);
      }
    }
  }

  private void checkValues(NodeReport report) {
    if (!UUID.matcher(report.node()).matches()) {
      throw new InvalidReportException("field 'node' must be a UUID");
    }
    try {
      Channel.parse(report.channel());
    } catch (IllegalArgumentException e) {
      throw new InvalidReportException("field 'channel' must be 'stable' or 'preprod'");
    }
    if (!report.channel().equals(report.channel().trim().toLowerCase(Locale.ROOT))) {
      throw new InvalidReportException("field 'channel' must be 'stable' or 'preprod'");
    }
    checkCommit("previousCommit", report.previousCommit());
    checkCommit("currentCommit", report.currentCommit());
    checkLength("version", report.version(), MAX_SHORT);
    checkLength("message", report.message(), MAX_TEXT);
    checkLength("savedLocalChanges", report.savedLocalChanges(), MAX_TEXT);
    checkLabel("name", report.name());
    checkLabel("updaterVersion", report.updaterVersion());
    checkLength("remote", report.remote(), MAX_REMOTE);
    if (report.target() != null) {
      checkLength("target.ref", report.target().ref(), 256);
      checkCommit("target.commit", report.target().commit());
      checkLength("target.version", report.target().version(), MAX_SHORT);
    }
    if (report.reason() != null) {
      if (!CODE.matcher(report.reason().code()).matches()) {
        throw new InvalidReportException(
            "field 'reason.code' must be 1 to 64 letters, digits or ._:/-");
      }
      checkLength("reason.text", report.reason().text(), MAX_TEXT);
    }
    NodeReport.Lottery lottery = report.lottery();
    if (lottery != null) {
      if (lottery.ticket() != null && !(lottery.ticket() >= 0.0 && lottery.ticket() < 1.0)) {
        throw new InvalidReportException("field 'lottery.ticket' must be in [0,1)");
      }
      if (!(lottery.weight() >= 0.0 && lottery.weight() <= 1.0)) {
        throw new InvalidReportException("field 'lottery.weight' must be in [0,1]");
      }
      checkLength("lottery.reason", lottery.reason(), MAX_TEXT);
      checkTime("lottery.drawnAt", lottery.drawnAt());
    }
    checkTime("startedAt", report.startedAt());
    checkTime("finishedAt", report.finishedAt());
    if (report.startedAt() != null
        && report.finishedAt() != null
        && report.finishedAt().isBefore(report.startedAt())) {
      throw new InvalidReportException("field 'finishedAt' is before 'startedAt'");
    }
  }

  private static void checkCommit(String field, String commit) {
    if (commit != null && !COMMIT.matcher(commit).matches()) {
      throw new InvalidReportException("field '" + field + "' must be 40 hex digits or null");
    }
  }

  /** A short one-line label: 1 to {@value #MAX_SHORT} characters, no control characters. */
  private static void checkLabel(String field, String text) {
    if (text == null) {
      return;
    }
    if (text.isEmpty()
        || text.length() > MAX_SHORT
        || text.chars().anyMatch(Character::isISOControl)) {
      throw new InvalidReportException(
          "field '"
              + field
              + "' must be 1 to "
              + MAX_SHORT
              + " characters without control characters");
    }
  }

  private static void checkLength(String field, String text, int max) {
    if (text != null && text.length() > max) {
      throw new InvalidReportException(
          "field '" + field + "' is longer than " + max + " characters");
    }
  }

  private void checkTime(String field, Instant time) {
    if (time == null) {
      return;
    }
    if (time.isAfter(clock.instant().plus(CLOCK_SKEW))) {
      throw new InvalidReportException("field '" + field + "' is in the future");
    }
    if (time.isBefore(EPOCH_FLOOR)) {
      throw new InvalidReportException("field '" + field + "' is before " + EPOCH_FLOOR);
    }
  }

  /**
   * Lower-cases ids and commits so that the same node or commit is always spelled one way, and
   * takes credentials out of any URL in the free text (a node that printed its remote with a token
   * must not make the dashboard store and serve it).
   */
  private static NodeReport normalised(NodeReport r) {
    NodeReport.Target target =
        r.target() == null
            ? null
            : new NodeReport.Target(
                RemoteUrls.redactIn(r.target().ref()),
                lower(r.target().commit()),
                r.target().version());
    NodeReport.Lottery lottery =
        r.lottery() == null
            ? null
            : new NodeReport.Lottery(
                r.lottery().ticket(),
                r.lottery().weight(),
                r.lottery().drawnAt(),
                r.lottery().nextDrawAt(),
                RemoteUrls.redactIn(r.lottery().reason()));
    NodeReport.Reason reason =
        r.reason() == null
            ? null
            : new NodeReport.Reason(r.reason().code(), RemoteUrls.redactIn(r.reason().text()));
    return new NodeReport(
        r.node().toLowerCase(Locale.ROOT),
        r.channel(),
        r.preprod(),
        r.groups(),
        lottery,
        target,
        lower(r.previousCommit()),
        lower(r.currentCommit()),
        r.version(),
        r.action(),
        RemoteUrls.redactIn(r.message()),
        reason,
        RemoteUrls.redactIn(r.savedLocalChanges()),
        r.warnings().stream().map(RemoteUrls::redactIn).toList(),
        r.startedAt(),
        r.finishedAt(),
        r.name(),
        r.updaterVersion(),
        RemoteUrls.redact(r.remote()));
  }

  private static String lower(String text) {
    return text == null ? null : text.toLowerCase(Locale.ROOT);
  }

  /** Whether {@code action} is one the dashboard counts as a failure. */
  public static boolean isFailure(Action action) {
    return action == Action.FAILED || action == Action.ROLLED_BACK;
  }
}
