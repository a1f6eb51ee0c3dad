package dev.sluice.updater.git;

import dev.sluice.core.git.GitException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code *.lock} files git and JGit create beside what they are about to rewrite (refs,
 * packed-refs, shallow, config, index, HEAD, objects/info, and a fetched pack's {@code .keep}). A
 * killed git leaves them behind, and each one makes every later write of that file fail: a ref that
 * silently never moves, a shallow file that fails every fetch, a config that fails every first
 * install, a pack keep lock that fails every fetch of the same objects ("Cannot lock pack").
 *
 * <p>Called only while the node's work-tree lock is held, so no run of ours uses them. A lock file
 * that a live process has open (an operator's {@code git pull}) is never deleted: the run refuses
 * instead, naming the process.
 */
public final class GitLocks {

  private static final Logger LOG = LoggerFactory.getLogger(GitLocks.class);
  private static final List<String> TREES = List.of("refs", "logs", "objects/info", "objects/pack");

  private GitLocks() {}

  /**
   * Removes every stale lock file in {@code gitDir} and returns what it removed (relative paths).
   *
   * @throws GitException {@code CONFIG} when a live process holds one of them
   */
  public static List<String> clearStale(Path gitDir) {
    List<Path> locks = find(gitDir);
    if (locks.isEmpty()) {
      return List.of();
    }
    List<String> removed = new ArrayList<>();
    for (Path lock : locks) {
      Optional<String> holder = holder(lock);
      if (holder.isPresent()) {
        throw new GitException(
            GitException.Kind.CONFIG,
            "workdir is in use: "
                + gitDir.relativize(lock)
                + " is held by "
                + holder.get()
                + "; not touching the repository until it finishes");
      }
      try {
        if (Files.deleteIfExists(lock)) {
          String name = gitDir.relativize(lock).toString();
          removed.add(name);
          LOG.warn("removed stale git lock {} left by a killed git or run", name);
        }
      } catch (IOException e) {
        throw new GitException(
            GitException.Kind.CORRUPT,
            "cannot remove stale git lock " + lock + ": " + e.getMessage(),
            e);
      }
    }
    return removed;
  }

  /** The lock files in the git directory itself and in the trees where git writes them. */
  static List<Path> find(Path gitDir) {
    List<Path> found = new ArrayList<>();
    try {
      try (Stream<Path> top = Files.list(gitDir)) {
        top.filter(GitLocks::isLock).forEach(found::add);
      }
      for (String tree : TREES) {
        Path dir = gitDir.resolve(tree);
        if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
          try (Stream<Path> walk = Files.walk(dir)) {
            walk.filter(GitLocks::isLock).forEach(found::add);
          }
        }
      }
    } catch (IOException e) {
      throw new GitException(
          GitException.Kind.CORRUPT, "cannot look for stale git locks in " + gitDir, e);
    }
    return found;
  }

  private static boolean isLock(Path path) {
    String name = path.getFileName().toString();
    return name.endsWith(".lock") && Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS);
  }

  /**
   * The live process that has {@code file} open ("pid 123 (git)"), found through {@code
   * /proc/PID/fd}; empty when none does or where there is no {@code /proc}.
   */
  static Optional<String> holder(Path file) {
    Path proc = Path.of("/proc");
    if (!Files.isDirectory(proc)) {
      return Optional.empty();
    }
    Path target;
    try {
      target = file.toRealPath();
    } catch (IOException e) {
      return Optional.empty();
    }
    long self = ProcessHandle.current().pid();
    try (Stream<Path> pids = Files.list(proc)) {
      for (Path pid : pids.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
        if (Long.parseLong(pid.getFileName().toString()) != self && opens(pid, target)) {
          return Optional.of("pid " + pid.getFileName() + " (" + command(pid) + ")");
        }
      }
    } catch (IOException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  private static boolean opens(Path pid, Path target) {
    try (Stream<Path> fds = Files.list(pid.resolve("fd"))) {
      for (Path fd : fds.toList()) {
        try {
          if (Files.readSymbolicLink(fd).equals(target)) {
            return true;
          }
        } catch (IOException | UnsupportedOperationException e) {
          // The descriptor closed meanwhile, or is not a link: not this file.
        }
      }
    } catch (IOException e) {
      // A process that exited or that we may not look at.
    }
    return false;
  }

  private static String command(Path pid) {
    try {
      return Files.readString(pid.resolve("comm")).strip();
    } catch (IOException e) {
      return "unknown command";
    }
  }
}
