package dev.sluice.updater.cli;

/**
 * Configures slf4j-simple before the first logger exists: Sluice's own state changes at info (or
 * debug with {@code --verbose}), libraries at warn, all on standard error with a timestamp.
 */
final class Logging {

  private Logging() {}

  static void configure(boolean verbose, boolean stateChanges) {
    setDefault("org.slf4j.simpleLogger.logFile", "System.err");
    setDefault("org.slf4j.simpleLogger.defaultLogLevel", verbose ? "info" : "warn");
    setDefault(
        "org.slf4j.simpleLogger.log.dev.sluice",
        verbose ? "debug" : stateChanges ? "info" : "warn");
    setDefault("org.slf4j.simpleLogger.showDateTime", "true");
    setDefault("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSX");
    setDefault("org.slf4j.simpleLogger.showThreadName", "false");
    setDefault("org.slf4j.simpleLogger.showShortLogName", "true");
  }

  private static void setDefault(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }
}
