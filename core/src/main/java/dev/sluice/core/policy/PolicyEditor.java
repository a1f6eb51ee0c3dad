package dev.sluice.core.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Changes fields of a policy by path, for {@code channel-admin policy set KEY=VALUE}: {@code
 * lottery.probability=0.1}, {@code channels.stable.track=tag}, {@code
 * lottery.groupWeights.farm-1=1.0}, {@code maintenanceWindows[0].start=03:00}, {@code
 * frozen=["hpc"]}.
 *
 * <p>The value is read as JSON when it is a JSON value ({@code 0.1}, {@code true}, {@code [..]},
 * {@code {..}}, {@code "text"}) and as a plain string otherwise ({@code P3D}, {@code 02:00});
 * {@code null} removes the field so it takes its default. The result is validated by {@link
 * PolicyParser} like any document, so a bad value is reported with its path and what is expected.
 */
public final class PolicyEditor {

  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private static final Pattern SEGMENT = Pattern.compile("([^.\\[\\]]+)((?:\\[[0-9]+\\])*)");

  private PolicyEditor() {}

  /** One field changed: its path, and its value before and after as JSON ({@code unset}). */
  public record Change(String key, String before, String after) {
    public Change {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(before, "before");
      Objects.requireNonNull(after, "after");
    }

    @Override
    public String toString() {
      return key + "=" + after + " (was " + before + ")";
    }
  }

  /** The edited policy and what changed (fields set to the value they had are left out). */
  public record Result(Policy policy, List<Change> changes) {
    public Result {
      Objects.requireNonNull(policy, "policy");
      changes = List.copyOf(changes);
    }
  }

  /**
   * Applies {@code KEY=VALUE} assignments in order.
   *
   * @throws PolicyValidationException naming the key when an assignment is malformed or its path
   *     does not exist, and listing every error of the resulting document otherwise
   */
  public static Result set(Policy policy, List<String> assignments) {
    ObjectNode root = PolicyWriter.toTree(policy);
    List<String> errors = new ArrayList<>();
    List<Change> changes = new ArrayList<>();
    Set<String> keys = new HashSet<>();
    for (String assignment : assignments) {
      int equals = assignment.indexOf('=');
      if (equals <= 0) {
        errors.add(assignment + ": not KEY=VALUE, e.g. lottery.probability=0.1");
        continue;
      }
      String key = assignment.substring(0, equals).strip();
      try {
        if (!keys.add(key)) {
          throw new IllegalArgumentException("is set twice; set each field once");
        }
        JsonNode value = valueOf(assignment.substring(equals + 1));
        JsonNode before = put(root, key, value);
        String was = before == null || before.isNull() ? "unset" : before.toString();
        String now = value.isNull() ? "unset" : value.toString();
        if (!was.equals(now)) {
          changes.removeIf(change -> change.key().equals(key));
          changes.add(new Change(key, was, now));
        }
      } catch (IllegalArgumentException e) {
        errors.add(key + ": " + e.getMessage());
      }
    }
    if (!errors.isEmpty()) {
      throw new PolicyValidationException("policy set", errors);
    }
    return new Result(PolicyParser.fromTree(root, "channels.json after policy set"), changes);
  }

  private static JsonNode valueOf(String text) {
    String trimmed = text.strip();
    if (trimmed.isEmpty()) {
      return TextNode.valueOf(text);
    }
    try {
      return MAPPER.readTree(trimmed);
    } catch (JsonProcessingException e) {
      String message = e.getOriginalMessage();
      if (message != null && message.startsWith("Duplicate field")) {
        throw new IllegalArgumentException(
            "the value has a duplicate key (" + message + "); name each key once");
      }
      return TextNode.valueOf(text);
    }
  }

  /** Puts the value at the path and returns what was there (null when nothing). */
  private static JsonNode put(ObjectNode root, String key, JsonNode value) {
    List<Object> steps = steps(key);
    JsonNode node = root;
    StringBuilder at = new StringBuilder();
    for (int i = 0; i < steps.size() - 1; i++) {
      Object step = steps.get(i);
      JsonNode next = child(node, step, at);
      if (next == null || next.isNull()) {
        if (!(node instanceof ObjectNode object) || !(step instanceof String name)) {
          throw new IllegalArgumentException("there is nothing at " + at);
        }
        next = steps.get(i + 1) instanceof Integer ? object.putArray(name) : object.putObject(name);
      }
      if (!next.isContainerNode()) {
        throw new IllegalArgumentException(at + " is " + next + ", not an object or array");
      }
      node = next;
    }
    Object last = steps.get(steps.size() - 1);
    if (last instanceof String name) {
      if (!(node instanceof ObjectNode object)) {
        throw new IllegalArgumentException(at + " is an array; give an index such as [0]");
      }
      JsonNode before = object.get(name);
      if (value.isNull()) {
        object.remove(name);
      } else {
        object.set(name, value);
      }
      return before;
    }
    int index = (Integer) last;
    if (!(node instanceof ArrayNode array)) {
      throw new IllegalArgumentException(at + " is not an array");
    }
    if (index > array.size() || (index == array.size() && value.isNull())) {
      throw new IllegalArgumentException(
          at + " has " + array.size() + " entries; index " + index + " is out of range");
    }
    if (index == array.size()) {
      array.add(value);
      return null;
    }
    JsonNode before = array.get(index);
    if (value.isNull()) {
      array.remove(index);
    } else {
      array.set(index, value);
    }
    return before;
  }

  private static JsonNode child(JsonNode node, Object step, StringBuilder at) {
    if (step instanceof String name) {
      at.append(at.length() == 0 ? "" : ".").append(name);
      if (!node.isObject()) {
        throw new IllegalArgumentException(
            at + ": its parent is an array; give an index such as [0]");
      }
      return node.get(name);
    }
    int index = (Integer) step;
    at.append('[').append(index).append(']');
    if (!node.isArray()) {
      throw new IllegalArgumentException(at + ": its parent is not an array");
    }
    if (index >= node.size()) {
      throw new IllegalArgumentException(at + " is out of range (" + node.size() + " entries)");
    }
    return node.get(index);
  }

  private static List<Object> steps(String key) {
    List<Object> steps = new ArrayList<>();
    if (key.isEmpty() || key.startsWith(".") || key.endsWith(".") || key.contains("..")) {
      throw new IllegalArgumentException(
          "not a field path such as lottery.probability or maintenanceWindows[0].start");
    }
    for (String part : key.split("\\.")) {
      Matcher matcher = SEGMENT.matcher(part);
      if (!matcher.matches()) {
        throw new IllegalArgumentException(
            "not a field path such as lottery.probability or maintenanceWindows[0].start");
      }
      steps.add(matcher.group(1));
      String indexes = matcher.group(2);
      if (!indexes.isEmpty()) {
        for (String index : indexes.substring(1, indexes.length() - 1).split("\\]\\[")) {
          steps.add(Integer.parseInt(index));
        }
      }
    }
    return steps;
  }
}
