package dev.sluice.updater.git;

import dev.sluice.core.git.GitException;
import dev.sluice.updater.git.Workdir.TreeCheck;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.Status;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.api.errors.JGitInternalException;
import org.eclipse.jgit.errors.CorruptObjectException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.IndexDiff;
import org.eclipse.jgit.lib.ObjectChecker;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.submodule.SubmoduleWalk;
import org.eclipse.jgit.treewalk.CanonicalTreeParser;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.TreeFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the working tree stands against a commit, read without writing a file of the tree: the local
 * changes a checkout would destroy, the tracked files that are missing or differ from HEAD, the
 * check after a checkout, paths git must never check out, and what an update changes under given
 * paths. A damaged index is rebuilt first ({@link IndexRepair}). The only thing written is the
 * index: after a tree check, settled files are recorded in it so that the next check compares them
 * by size and time ({@link StatRefresh}).
 *
 * <p>Logs as {@link Workdir}, as it did before it was split out of it.
 */
final class TreeState {

  private static final Logger LOG = LoggerFactory.getLogger(Workdir.class);

  private final Repository repo;
  private final Git git;
  private final Path dir;
  private final Supplier<Optional<ObjectId>> head;
  private final IndexRepair index;

  /**
   * @param head reads the commit checked out now ({@link Workdir#head()})
   */
  TreeState(
      Repository repo, Git git, Path dir, Supplier<Optional<ObjectId>> head, IndexRepair index) {
    this.repo = repo;
    this.git = git;
    this.dir = dir;
    this.head = head;
    this.index = index;
  }

  /** See {@link Workdir#localChanges(Instant)}. */
  Collection<String> localChanges(Instant now) {
    return localChanges(status(now));
  }

  static Collection<String> localChanges(Status status) {
    TreeSet<String> paths = new TreeSet<>();
    paths.addAll(status.getModified());
    paths.addAll(status.getChanged());
    paths.addAll(status.getAdded());
    paths.addAll(status.getUntracked());
    paths.addAll(status.getConflicting());
    return paths;
  }

  Status status(Instant now) {
    index.ensureIndexReadable(now);
    try {
      return git.status().setIgnoreSubmodules(SubmoduleWalk.IgnoreSubmoduleMode.ALL).call();
    } catch (GitAPIException | JGitInternalException e) {
      throw new GitException(
          GitException.Kind.CORRUPT,
          "workdir " + dir + ": cannot compare files with HEAD: " + GitException.rootMessage(e),
          e);
    }
  }

  /** See {@link Workdir#check(Instant)}. */
  TreeCheck check(Instant now) {
    index.ensureIndexReadable(now);
    try {
      StatRefresh.Watch tree = new StatRefresh.Watch(repo);
      IndexDiff diff = new IndexDiff(repo, Constants.HEAD, tree);
      diff.setIgnoreSubmoduleMode(SubmoduleWalk.IgnoreSubmoduleMode.ALL);
      diff.diff();
      TreeSet<String> modified = new TreeSet<>();
      modified.addAll(diff.getModified());
      modified.addAll(diff.getChanged());
      modified.addAll(diff.getAdded());
      modified.addAll(diff.getRemoved());
      modified.addAll(diff.getConflicting());
      modified.removeAll(diff.getMissing());
      if (tree.refreshWanted()) {
        refreshStat(modified);
      }
      return new TreeCheck(List.copyOf(new TreeSet<>(diff.getMissing())), List.copyOf(modified));
    } catch (IOException | RuntimeException e) {
      throw new GitException(
          GitException.Kind.CORRUPT,
          "workdir " + dir + ": cannot compare files with HEAD: " + GitException.rootMessage(e),
          e);
    }
  }

  /**
   * Lets the next check compare settled files by size and time ({@link StatRefresh}); a failure
   * only costs the next check the content comparison it makes today.
   */
  private void refreshStat(Set<String> modified) {
    try {
      // File times are the file system's: compared with the system clock, not --now.
      StatRefresh.refresh(repo, dir, Instant.now(), modified);
    } catch (IOException | RuntimeException e) {
      LOG.debug("workdir {}: index not refreshed: {}", dir, e.getMessage());
    }
  }

  /** See {@link Workdir#verify(ObjectId, Instant)}. */
  void verify(ObjectId commit, Instant now) {
    Optional<ObjectId> head = this.head.get();
    if (head.isEmpty() || !head.get().equals(commit)) {
      throw new GitException(
          GitException.Kind.OTHER,
          "workdir "
              + dir
              + ": HEAD is "
              + head.map(ObjectId::name).orElse("unborn")
              + ", expected "
              + commit.name());
    }
    Status status = status(now);
    TreeSet<String> wrong = new TreeSet<>();
    wrong.addAll(status.getModified());
    wrong.addAll(status.getMissing());
    wrong.addAll(status.getChanged());
    wrong.addAll(status.getAdded());
    wrong.addAll(status.getRemoved());
    wrong.addAll(status.getConflicting());
    if (!wrong.isEmpty()) {
      throw new GitException(
          GitException.Kind.OTHER,
          "workdir "
              + dir
              + ": after checkout of "
              + commit.name()
              + ", "
              + wrong.size()
              + " tracked file(s) differ from the commit, e.g. "
              + wrong.first());
    }
  }

  /** See {@link Workdir#unsafePath(ObjectId)}. */
  Optional<String> unsafePath(ObjectId commit) {
    ObjectChecker checker = new ObjectChecker();
    try (RevWalk walk = new RevWalk(repo);
        TreeWalk tree = new TreeWalk(repo)) {
      tree.addTree(walk.parseCommit(commit).getTree());
      tree.setRecursive(false);
      while (tree.next()) {
        CanonicalTreeParser entry = tree.getTree(0, CanonicalTreeParser.class);
        byte[] name = new byte[entry.getNameLength()];
        entry.getName(name, 0);
        try {
          checker.checkPathSegment(name, 0, name.length);
        } catch (CorruptObjectException e) {
          return Optional.of(tree.getPathString());
        }
        if (tree.isSubtree()) {
          tree.enterSubtree();
        }
      }
      return Optional.empty();
    } catch (IOException e) {
      throw new GitException(
          GitException.Kind.CORRUPT,
          "workdir " + dir + ": cannot read the tree of " + commit.name() + ": " + e.getMessage(),
          e);
    }
  }

  /** See {@link Workdir#changedBetween(ObjectId, ObjectId, List)}. */
  List<String> changedBetween(ObjectId from, ObjectId to, List<String> paths) {
    if (paths.isEmpty()) {
      return List.of();
    }
    List<String> changed = new ArrayList<>();
    try (RevWalk walk = new RevWalk(repo);
        TreeWalk diff = new TreeWalk(repo)) {
      diff.addTree(walk.parseCommit(from).getTree());
      diff.addTree(walk.parseCommit(to).getTree());
      diff.setRecursive(true);
      diff.setFilter(
          org.eclipse.jgit.treewalk.filter.AndTreeFilter.create(
              org.eclipse.jgit.treewalk.filter.PathFilterGroup.createFromStrings(paths),
              TreeFilter.ANY_DIFF));
      while (diff.next()) {
        changed.add(diff.getPathString());
      }
      return changed;
    } catch (IOException e) {
      return List.of();
    }
  }
}
