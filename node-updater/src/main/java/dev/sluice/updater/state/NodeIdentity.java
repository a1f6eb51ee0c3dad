package dev.sluice.updater.state;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's stable id and the name operators know it by.
 *
 * <p>The id is derived from the machine's id ({@code /etc/machine-id}) and the work tree's path,
 * hashed with a salt of this application's own: the same machine and work tree always give the same
 * id, whatever happened to the state file, and the machine id itself never leaves the node. Two
 * work trees on one machine are two nodes. Without a machine id the id is a UUID made on the first
 * run, kept in the state file and, as a second copy, beside the work tree ({@code
 * .git/sluice-node-id}), so a lost or emptied state file does not turn the node into a new one on
 * the dashboard.
 */
public final class NodeIdentity {

  /** The key-value key of the node id. */
  public static final String KEY = "node.id";

  /** The copy beside the work tree, inside its {@code .git}. */
  public static final String FILE = "sluice-node-id";

  /** Longest node name accepted, in characters. */
  public static final int MAX_NAME = 128;

  /**
   * Mixed into the machine id before hashing, so the id says nothing about the machine id and is
   * not the id another program derives from it.
   */
  private static final String SALT = "dev.sluice.node-updater/node-id/1";

  private static final Pattern MACHINE_ID_FORMAT = Pattern.compile("[0-9a-f]{32}");

  private static final Logger LOG = LoggerFactory.getLogger(NodeIdentity.class);

  /**
   * Where the node's identity comes from.
   *
   * @param machineIdFile the machine id ({@code /etc/machine-id}); null or missing: none
   * @param hostnameFile the host name ({@code /proc/sys/kernel/hostname}); null or missing: none
   * @param name the node's name as configured ({@code --node-name}); null: the host name
   */
  public record Source(Path machineIdFile, Path hostnameFile, String name) {

    /** The machine id of a systemd (and most other) Linux system. */
    public static final Path MACHINE_ID = Path.of("/etc/machine-id");

    /** The running kernel's host name. */
    public static final Path HOSTNAME = Path.of("/proc/sys/kernel/hostname");

    /** No machine id and no name: the id is a stored UUID (simulated nodes in one process). */
    public static final Source NONE = new Source(null, null, null);

    public Source {
      if (name != null) {
        name = name.strip();
        if (name.isEmpty()
            || name.length() > MAX_NAME
            || name.chars().anyMatch(Character::isISOControl)) {
          throw new IllegalArgumentException(
              "--node-name must be 1 to " + MAX_NAME + " characters without control characters");
        }
      }
    }

    /** This machine's id and host name, with the name overridden when {@code name} is given. */
    public static Source system(String name) {
      return new Source(MACHINE_ID, HOSTNAME, name);
    }

    /** The configured name, else the host name, else null. */
    public String resolveName() {
      if (name != null) {
        return name;
      }
      return firstLine(hostnameFile)
          .filter(n -> n.length() <= MAX_NAME && n.chars().noneMatch(Character::isISOControl))
          .orElse(null);
    }

    /** The machine id, when the file holds one (32 lower-case hex digits, not all zero). */
    Optional<String> machineId() {
      return firstLine(machineIdFile)
          .filter(
              id -> MACHINE_ID_FORMAT.matcher(id).matches() && !id.chars().allMatch(c -> c == '0'));
    }

    private static Optional<String> firstLine(Path file) {
      if (file == null) {
        return Optional.empty();
      }
      try {
        return Files.readString(file, StandardCharsets.UTF_8)
            .lines()
            .findFirst()
            .map(String::strip)
            .filter(line -> !line.isEmpty());
      } catch (IOException | RuntimeException e) {
        return Optional.empty();
      }
    }
  }

  private NodeIdentity() {}

  /**
   * The node's id: derived from the machine id when there is one; else the state file's, else the
   * work tree's copy (with a warning), else a new one. An id that changes (a node first run by a
   * version that did not derive it) is logged and named in a warning. Never fails: a state file
   * that cannot be written only loses the copy there.
   */
  public static String resolve(
      KeyValueStore kv, Path workdir, Source source, Instant now, List<String> warnings) {
    Optional<String> stored = kv.get(KEY).filter(NodeIdentity::isUuid);
    Optional<String> derived = source.machineId().map(machine -> derive(machine, workdir));
    String id;
    if (derived.isPresent()) {
      id = derived.get();
      Optional<String> earlier = stored.or(() -> read(workdir)).filter(old -> !old.equals(id));
      if (earlier.isPresent()) {
        String text =
            "node id "
                + earlier.get()
                + " is now "
                + id
                + ", derived from "
                + source.machineIdFile()
                + " and the work tree (it no longer depends on the state file)";
        LOG.warn(text);
        warnings.add(text);
      }
      if (stored.filter(id::equals).isPresent()) {
        return id;
      }
    } else if (stored.isPresent()) {
      return stored.get();
    } else {
      Optional<String> copy = read(workdir);
      if (copy.isPresent()) {
        id = copy.get();
        String text =
            "the state file had no node id; kept id "
                + id
                + " from "
                + file(workdir)
                + " (not new)";
        LOG.warn(text);
        warnings.add(text);
      } else {
        id = UUID.randomUUID().toString();
        LOG.info("new node id {}", id);
      }
    }
    try {
      kv.put(KEY, id, now);
    } catch (StateException e) {
      warnings.add("cannot store the node id in the state file: " + e.getMessage());
    }
    return id;
  }

  /**
   * The id of the node that runs {@code workdir} on the machine whose id is {@code machineId}: the
   * first 128 bits of a salted SHA-256, formatted as a version-8 (custom) UUID.
   */
  static String derive(String machineId, Path workdir) {
    MessageDigest sha256;
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
    sha256.update(
        (SALT + "\n" + machineId + "\n" + workdir.toAbsolutePath().normalize())
            .getBytes(StandardCharsets.UTF_8));
    ByteBuffer hash = ByteBuffer.wrap(sha256.digest());
    long high = (hash.getLong() & ~0xF000L) | 0x8000L;
    long low = (hash.getLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(high, low).toString();
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

  /**
   * The node's id without the state file: derived from the machine id, else the work tree's copy.
   */
  public static Optional<String> peek(Path workdir, Source source) {
    return source.machineId().map(machine -> derive(machine, workdir)).or(() -> read(workdir));
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
