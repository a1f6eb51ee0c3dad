package dev.sluice.updater.apply;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A command the updater runs (post-update hook, health check, restart). Without {@code shell} it is
 * split into words like a shell would (quotes and backslashes, nothing else) and run directly; with
 * {@code shell} it is run by {@code /bin/sh -c}.
 */
public record HookCommand(String text, boolean shell) {

  public HookCommand {
    Objects.requireNonNull(text, "text");
    if (text.isBlank()) {
      throw new IllegalArgumentException("empty command");
    }
    if (!shell) {
      split(text); // fail now on unbalanced quotes, not at update time
    }
  }

  /** The argument vector to start. */
  public List<String> argv() {
    return shell ? List.of("/bin/sh", "-c", text) : split(text);
  }

  /** Splits a command line into words: whitespace separates, quotes group, backslash escapes. */
  static List<String> split(String line) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean inWord = false;
    char quote = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else if (c == '\\' && quote == '"' && i + 1 < line.length()) {
          word.append(line.charAt(++i));
        } else {
          word.append(c);
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
        inWord = true;
      } else if (c == '\\' && i + 1 < line.length()) {
        word.append(line.charAt(++i));
        inWord = true;
      } else if (Character.isWhitespace(c)) {
        if (inWord) {
          words.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
      } else {
        word.append(c);
        inWord = true;
      }
    }
    if (quote != 0) {
      throw new IllegalArgumentException("command has an unclosed " + quote + " quote: " + line);
    }
    if (inWord) {
      words.add(word.toString());
    }
    if (words.isEmpty()) {
      throw new IllegalArgumentException("empty command");
    }
    return words;
  }

  @Override
  public String toString() {
    return text;
  }
}
