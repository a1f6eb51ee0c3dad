package dev.sluice.updater.git;

import dev.sluice.core.git.GitException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.eclipse.jgit.dircache.DirCacheIterator;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes what an interrupted or failed checkout left in the working tree: the temporary files of a
 * failed JGit checkout, and the files a killed first install or checkout had already written. A
 * file is removed only where it is untracked and provably the checkout's own (beside or holding
 * exactly the content of the commit being checked out), so nothing anyone else wrote is touched.
 *
 * <p>Logs as {@link Workdir}, as it did before it was split out of it.
 */
final class Leftovers {

  private static final Logger LOG = LoggerFactory.getLogger(Workdir.class);

  private final Repository repo;
  private final Path dir;

  Leftovers(Repository repo, Path dir) {
    this.repo = repo;
    this.dir = dir;
  }

  /** See {@link Workdir#removeCheckoutTempFiles(ObjectId)}. */
  List<String> removeCheckoutTempFiles(ObjectId to) {
    try {
      List<String> removed = checkoutTempFiles(to);
      if (!removed.isEmpty()) {
        LOG.warn(
            "workdir {}: removed {} temporary file(s) of a failed checkout", dir, removed.size());
      }
      return removed;
    } catch (IOException e) {
      throw new GitException(
          GitException.Kind.OTHER,
          "workdir "
              + dir
              + ": cannot remove temporary files of the failed checkout: "
              + e.getMessage(),
          e);
    }
  }

  private List<String> checkoutTempFiles(ObjectId to) throws IOException {
    Set<String> paths = new HashSet<>();
    try (RevWalk walk = new RevWalk(repo);
        TreeWalk tree = new TreeWalk(repo)) {
      tree.addTree(walk.parseCommit(to).getTree());
      tree.setRecursive(true);
      while (tree.next()) {
        paths.add(tree.getPathString());
      }
    }
    List<String> removed = new ArrayList<>();
    Pattern temp = Pattern.compile("\\._(.+?)\\d+\\.tmp");
    Path gitDir = dir.resolve(Constants.DOT_GIT);
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.filter(p -> !p.startsWith(gitDir)).toList()) {
        Matcher name = temp.matcher(file.getFileName().toString());
        if (!name.matches() || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
          continue;
        }
        String relative =
            dir.relativize(file.resolveSibling(name.group(1))).toString().replace('\\', '/');
        if (paths.contains(relative)) {
          Files.delete(file);
          removed.add(dir.relativize(file).toString());
        }
      }
    }
    return removed;
  }

  /** See {@link Workdir#removeWritten(ObjectId)}. */
  List<String> removeWritten(ObjectId to) {
    List<String> removed = new ArrayList<>();
    try (RevWalk walk = new RevWalk(repo);
        TreeWalk tree = new TreeWalk(repo)) {
      tree.addTree(walk.parseCommit(to).getTree());
      tree.setRecursive(true);
      while (tree.next()) {
        Path file = dir.resolve(tree.getPathString());
        if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)
            && Arrays.equals(Files.readAllBytes(file), repo.open(tree.getObjectId(0)).getBytes())) {
          Files.delete(file);
          removed.add(tree.getPathString());
        }
      }
    } catch (IOException e) {
      throw new GitException(
          GitException.Kind.OTHER,
          "workdir "
              + dir
              + ": cannot clean up after an interrupted first install: "
              + e.getMessage(),
          e);
    }
    if (!removed.isEmpty()) {
      LOG.warn(
          "workdir {}: removed {} file(s) an interrupted first install had written",
          dir,
          removed.size());
    }
    return removed;
  }

  /** See {@link Workdir#removeLeftovers(ObjectId, ObjectId)}. */
  List<String> removeLeftovers(ObjectId from, ObjectId to) {
    List<String> removed = new ArrayList<>();
    try (RevWalk walk = new RevWalk(repo);
        TreeWalk tree = new TreeWalk(repo)) {
      tree.addTree(walk.parseCommit(to).getTree());
      tree.addTree(walk.parseCommit(from).getTree());
      tree.addTree(new DirCacheIterator(repo.readDirCache()));
      tree.setRecursive(true);
      while (tree.next()) {
        if (tree.getRawMode(0) == 0 || tree.getRawMode(1) != 0 || tree.getRawMode(2) != 0) {
          continue; // not only in 'to', or tracked now
        }
        Path file = dir.resolve(tree.getPathString());
        if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)
            && Arrays.equals(Files.readAllBytes(file), repo.open(tree.getObjectId(0)).getBytes())) {
          Files.delete(file);
          removed.add(tree.getPathString());
        }
      }
    } catch (IOException e) {
      throw new GitException(
          GitException.Kind.OTHER,
          "workdir " + dir + ": cannot clean up after interrupted checkout: " + e.getMessage(),
          e);
    }
    if (!removed.isEmpty()) {
      LOG.warn(
          "workdir {}: removed {} file(s) an interrupted checkout had written",
          dir,
          removed.size());
    }
    return removed;
  }
}
