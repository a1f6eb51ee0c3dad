package dev.sluice.updater.state;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's stable id: a UUID made on the first run, kept in the state file and, as a second copy,
 * beside the work tree ({@code .git/sluice-node-id}), so a lost or emptied state file does not turn
 * the node into a new one on the dashboard.
 */
public final class NodeIdentity {

  /** The key-value key of the node id. */
  public static final String KEY = "node.id";

  /** The copy beside the work tree, inside its {@code .git}. */
  public static final String FILE = "sluice-node-id";

  private static final Logger LOG = LoggerFactory.getLogger(NodeIdentity.class);

  private NodeIdentity() {}

  /**
   * The node's id: the state file's, else the work tree's copy (with a warning), else a new one.
   * Never fails: a state file that cannot be written only loses the copy there.
   */
  public static String resolve(KeyValueStore kv, Path workdir, Instant now, List<String> warnings) {
    Optional<String> stored = kv.get(KEY).filter(NodeIdentity::isUuid);
    if (stored.isPresent()) {
      return stored.get();
    }
    Optional<String> copy = read(workdir);
    String id;
    if (copy.isPresent()) {
      id = copy.get();
      String text =
          "the state file had no node id; kept id " + id + " from " + file(workdir) + " (not new)";
      LOG.warn(text);
      warnings.add(text);
    } else {
      id = UUID.randomUUID().toString();
      LOG.info("new node id {}", id);
    }
    try {
      kv.put(KEY, id, now);
    } catch (StateException e) {
      warnings.add("cannot store the node id in the state file: " + e.getMessage());
    }
    return id;
  }

  /** Writes the work tree's copy when it is missing or differs (its {@code .git} must exist). */
  public static void remember(Path workdir, String id) {
    Path file = file(workdir);
    if (read(workdir).filter(id::equals).isPresent() || !Files.isDirectory(file.getParent())) {
      return;
    }
    Path temp = file.resolveSibling(FILE + ".tmp");
    try {
      Files.writeString(temp, id + "\n", StandardCharsets.UTF_8);
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      LOG.warn("cannot keep a copy of the node id in {}: {}", file, e.getMessage());
      try {
        Files.deleteIfExists(temp);
      } catch (IOException ignored) {
        // Nothing more to do: the id is still in the state file.
      }
    }
  }

  /** The work tree's copy of the node id, read only. */
  public static Optional<String> peek(Path workdir) {
    return read(workdir);
  }

  private static Optional<String> read(Path workdir) {
    try {
      return Optional.of(Files.readString(file(workdir), StandardCharsets.UTF_8).strip())
          .filter(NodeIdentity::isUuid);
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static Path file(Path workdir) {
    return workdir.resolve(".git").resolve(FILE);
  }

  private static boolean isUuid(String text) {
    try {
      return UUID.fromString(text).toString().equals(text);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
