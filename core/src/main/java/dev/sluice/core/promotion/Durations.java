package dev.sluice.core.promotion;

import java.time.Duration;

/** Durations the way operators read them: {@code 6d 23h 59m 59s}, {@code 7d}, {@code 0s}. */
public final class Durations {

  private Durations() {}

  /** A short human form; negative durations get a leading minus. */
  public static String human(Duration duration) {
    if (duration.isNegative()) {
      return "-" + human(duration.negated());
    }
    long seconds = duration.getSeconds();
    long days = seconds / 86_400;
    long hours = seconds % 86_400 / 3_600;
    long minutes = seconds % 3_600 / 60;
    long secs = seconds % 60;
    StringBuilder text = new StringBuilder();
    append(text, days, "d");
    append(text, hours, "h");
    append(text, minutes, "m");
    append(text, secs, "s");
    return text.length() == 0 ? "0s" : text.toString();
  }

  private static void append(StringBuilder text, long amount, String unit) {
    if (amount == 0) {
      return;
    }
    if (text.length() > 0) {
      text.append(' ');
    }
    text.append(amount).append(unit);
  }
}
