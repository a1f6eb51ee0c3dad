package dev.sluice.core.promotion;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads and writes {@code Sluice-Key: value} lines at the end of a tag message. */
final class Trailers {

  private final Map<String, List<String>> values = new LinkedHashMap<>();

  static String oneLine(String text) {
    return text == null ? "" : text.strip().replaceAll("\\s+", " ");
  }

  Trailers add(String key, String value) {
    values.computeIfAbsent(key, k -> new ArrayList<>()).add(oneLine(value));
    return this;
  }

  Optional<String> first(String key) {
    List<String> found = values.get(key);
    return found == null || found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
  }

  List<String> all(String key) {
    return values.getOrDefault(key, List.of());
  }

  /** The message: title, blank line, optional body, blank line, trailers. */
  String format(String title, String body) {
    StringBuilder text = new StringBuilder(oneLine(title)).append("\n\n");
    if (body != null && !body.isBlank()) {
      text.append(body.strip()).append("\n\n");
    }
    values.forEach(
        (key, list) -> list.forEach(v -> text.append(key).append(": ").append(v).append('\n')));
    return text.toString();
  }

  static Trailers parse(String message) {
    Trailers trailers = new Trailers();
    if (message == null) {
      return trailers;
    }
    for (String line : message.split("\n")) {
      int colon = line.indexOf(": ");
      if (line.startsWith("Sluice-") && colon > 0 && !line.substring(0, colon).contains(" ")) {
        trailers.add(line.substring(0, colon), line.substring(colon + 2));
      }
    }
    return trailers;
  }

  /** The message's lines before its trailers, without the title. */
  static String body(String message) {
    if (message == null) {
      return "";
    }
    List<String> kept = new ArrayList<>();
    String[] lines = message.split("\n");
    for (int i = 1; i < lines.length; i++) {
      if (!lines[i].startsWith("Sluice-")) {
        kept.add(lines[i]);
      }
    }
    return String.join("\n", kept).strip();
  }
}
