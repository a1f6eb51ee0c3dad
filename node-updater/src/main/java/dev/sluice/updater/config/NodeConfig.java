package dev.sluice.updater.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The node's configuration file ({@code --config FILE}, JSON or YAML by its extension): a flat map
 * from keys to a value or a list of values, as text. The keys are the long options of {@code run}
 * in camelCase and the values are parsed exactly as the flags' are ({@code cli.ConfigDefaults}
 * hands them to picocli as defaults), so each option is declared once. A key whose option takes
 * {@code NAME=VALUE} pairs (such as {@code groupRemotes}) is a map in the file, and each of its
 * entries becomes one such pair.
 *
 * <p>Read with Jackson's streaming parser, not a data-binding mapper: the file is flat and a run
 * starts faster without building a mapper.
 */
public final class NodeConfig {

  /** Separates the items of a list value; no command-line word can contain it. */
  public static final String LIST_SEPARATOR = "\u0000";

  private final Path file;
  private final Set<String> keys;
  private final Map<String, String> values;

  private NodeConfig(Path file, Set<String> keys, Map<String, String> values) {
    this.file = file;
    this.keys = keys;
    this.values = values;
  }

  /**
   * Reads a config file in which no key is a map.
   *
   * @throws IllegalArgumentException naming the file and the problem in one line
   */
  public static NodeConfig read(Path file) {
    return read(file, Set.of());
  }

  /**
   * Reads a config file. An empty file, or one with only comments, is an empty configuration.
   *
   * @param mapKeys the keys whose value is a map of names to values (each entry read as {@code
   *     name=value}); any other key holding a map is refused
   * @throws IllegalArgumentException naming the file and the problem in one line
   */
  public static NodeConfig read(Path file, Set<String> mapKeys) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    JsonFactory factory =
        name.endsWith(".yaml") || name.endsWith(".yml") ? new YAMLFactory() : new JsonFactory();
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("config file " + file + " does not exist");
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "config file " + file + " cannot be read: " + e.getMessage());
    }
    try (JsonParser parser = factory.createParser(bytes)) {
      Set<String> keys = new LinkedHashSet<>();
      Map<String, String> values = values(file, parser, keys, mapKeys);
      return new NodeConfig(file, keys, values);
    } catch (JacksonException e) {
      throw new IllegalArgumentException(
          "config file "
              + file
              + ": "
              + e.getOriginalMessage().lines().findFirst().orElse("unreadable")
              + " (line "
              + (e.getLocation() == null ? "?" : e.getLocation().getLineNr())
              + ")");
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "config file " + file + " cannot be read: " + e.getMessage());
    }
  }

  private static Map<String, String> values(
      Path file, JsonParser parser, Set<String> keys, Set<String> mapKeys) throws IOException {
    Map<String, String> values = new LinkedHashMap<>();
    JsonToken first = parser.nextToken();
    if (first == null || first == JsonToken.VALUE_NULL) {
      return values;
    }
    if (first != JsonToken.START_OBJECT) {
      throw problem(file, parser, "expected keys and values, found " + describe(first));
    }
    for (JsonToken token = parser.nextToken();
        token != JsonToken.END_OBJECT;
        token = parser.nextToken()) {
      String key = parser.currentName();
      keys.add(key);
      JsonToken value = parser.nextToken();
      if (value == JsonToken.VALUE_NULL) {
        values.remove(key);
      } else if (value.isScalarValue()) {
        values.put(key, parser.getText());
      } else if (value == JsonToken.START_ARRAY) {
        List<String> items = new ArrayList<>();
        for (JsonToken item = parser.nextToken();
            item != JsonToken.END_ARRAY;
            item = parser.nextToken()) {
          if (!item.isScalarValue() || item == JsonToken.VALUE_NULL) {
            throw problem(file, parser, "'" + key + "' must be a list of values");
          }
          items.add(parser.getText());
        }
        if (!items.isEmpty()) {
          values.put(key, String.join(LIST_SEPARATOR, items));
        }
      } else if (value == JsonToken.START_OBJECT && mapKeys.contains(key)) {
        List<String> entries = entries(file, parser, key);
        if (!entries.isEmpty()) {
          values.put(key, String.join(LIST_SEPARATOR, entries));
        }
      } else {
        throw problem(file, parser, "'" + key + "' must be a value or a list, not a map");
      }
    }
    return values;
  }

  /** A map's entries as {@code name=value}, the form its option takes on the command line. */
  private static List<String> entries(Path file, JsonParser parser, String key) throws IOException {
    List<String> entries = new ArrayList<>();
    for (JsonToken entry = parser.nextToken();
        entry != JsonToken.END_OBJECT;
        entry = parser.nextToken()) {
      String name = parser.currentName();
      JsonToken value = parser.nextToken();
      String text = value.isScalarValue() && value != JsonToken.VALUE_NULL ? parser.getText() : "";
      if (name == null || name.isBlank() || name.contains("=") || text.isBlank()) {
        throw problem(file, parser, key + ": every entry needs a name and a value");
      }
      entries.add(name + "=" + text);
    }
    return entries;
  }

  private static IllegalArgumentException problem(Path file, JsonParser parser, String what) {
    return new IllegalArgumentException(
        "config file "
            + file
            + ": "
            + what
            + " (line "
            + parser.currentLocation().getLineNr()
            + ")");
  }

  private static String describe(JsonToken token) {
    return token == JsonToken.START_ARRAY ? "a list" : "a single value";
  }

  /** The file this configuration was read from. */
  public Path file() {
    return file;
  }

  /** The value of a key as text (list items joined by {@link #LIST_SEPARATOR}), if set. */
  public Optional<String> value(String key) {
    return Optional.ofNullable(values.get(key));
  }

  /**
   * Refuses keys that name no option, so a typo never silently disables a health check.
   *
   * @throws IllegalArgumentException naming the first unknown key
   */
  public void requireKnownKeys(Set<String> known) {
    for (String key : keys) {
      if (!known.contains(key)) {
        throw new IllegalArgumentException("config file " + file + ": unknown key '" + key + "'");
      }
    }
  }
}
