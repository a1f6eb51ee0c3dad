package dev.sluice.updater.apply;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Keeps the hook log folder bounded: the newest {@link #KEEP} logs stay. */
final class HookLogs {

  static final int KEEP = 100;

  private static final Logger LOG = LoggerFactory.getLogger(HookLogs.class);

  private HookLogs() {}

  static void prune(Path logDir) {
    if (!Files.isDirectory(logDir)) {
      return;
    }
    try (Stream<Path> files = Files.list(logDir)) {
      List<Path> logs =
          files.filter(p -> p.getFileName().toString().endsWith(".log")).sorted().toList();
      for (Path old : logs.subList(0, Math.max(0, logs.size() - KEEP))) {
        Files.deleteIfExists(old);
      }
    } catch (IOException e) {
      LOG.warn("cannot prune hook logs in {}: {}", logDir, e.getMessage());
    }
  }
}
