package dev.sluice.updater.git;

import dev.sluice.core.git.GitException;
import dev.sluice.core.git.RemoteAccess;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.ResetCommand;
import org.eclipse.jgit.api.Status;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.api.errors.JGitInternalException;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ProgressMonitor;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's working tree: a git repository whose HEAD is detached at the commit the node runs.
 *
 * <p>Only the ref a run needs is fetched ({@link Fetcher}): shallow (depth 1) unless the node has
 * its history already, so a first install transfers one commit's tree and a later update transfers
 * what changed. Before a checkout would destroy local work (modified tracked files, untracked files
 * that are not ignored), it is saved under {@code refs/sluice/saved/<time>} ({@link SavedWork}).
 * Ignored files are never touched.
 *
 * <p>A run reaches the node's repository only through this class, which owns the {@link Repository}
 * (the {@code saved} command lists saved work read-only through {@link SavedWork}). It does the
 * normal path itself (HEAD, fetch, checkout) and hands the rest to one class per concern in this
 * package: {@link WorkdirOpener} (open, create, adopt), {@link TreeState} (how the files stand
 * against a commit), {@link SavedWork} (saving local changes), and crash repair: {@link
 * IndexRepair}, {@link Leftovers}, {@link GitLocks}, {@link ShallowRepair} and {@link TreeRewrite}.
 */
public final class Workdir implements AutoCloseable {

  public static final String SAVED_PREFIX = SavedWork.PREFIX;

  private static final Logger LOG = LoggerFactory.getLogger(Workdir.class);

  private final Path dir;
  private RemoteAccess access;
  private final Repository repo;
  private final Git git;
  private final SavedRetention retention;
  private final TreeState tree;
  private final SavedWork savedWork;
  private final Leftovers leftovers;

  Workdir(Path dir, RemoteAccess access, Repository repo, SavedRetention retention) {
    this.dir = dir;
    this.access = access;
    this.repo = repo;
    this.git = new Git(repo);
    this.retention = retention;
    this.tree = new TreeState(repo, git, dir, this::head, new IndexRepair(repo, dir, this::head));
    this.savedWork = new SavedWork(repo, dir);
    this.leftovers = new Leftovers(repo, dir);
  }

  /**
   * Opens the working tree of a remote that needs no credentials beyond its URL, with the default
   * retention of saved work.
   */
  public static Workdir open(Path dir, String remote) {
    return open(dir, RemoteAccess.of(remote), SavedRetention.DEFAULT);
  }

  /**
   * Opens the working tree, creating an empty repository in a missing or empty folder.
   *
   * <p>A new repository's {@code remote.origin.url} is the remote's URL without credentials; an
   * existing clone keeps its own origin, unless it holds credentials, which are removed. Fetches
   * get the credentials from {@code access}.
   *
   * @param retention how much saved work to keep after each save
   * @throws GitException {@code CONFIG} when the folder holds files but no repository (nothing is
   *     touched), {@code CORRUPT} when the repository cannot be read
   */
  public static Workdir open(Path dir, RemoteAccess access, SavedRetention retention) {
    return WorkdirOpener.open(dir, access, retention);
  }

  /** The commit a work tree's HEAD names, read without opening anything for writing. */
  public static Optional<ObjectId> peekHead(Path dir) {
    return WorkdirOpener.peekHead(dir);
  }

  public Path dir() {
    return dir;
  }

  public Repository repository() {
    return repo;
  }

  /**
   * The commit checked out now, or empty when nothing is installed yet.
   *
   * @throws GitException {@code CORRUPT} when HEAD cannot be read
   */
  public Optional<ObjectId> head() {
    try {
      Ref head = repo.exactRef(Constants.HEAD);
      if (head == null) {
        throw new GitException(
            GitException.Kind.CORRUPT, "workdir " + dir + ": HEAD is unreadable");
      }
      ObjectId id = head.getObjectId();
      if (id == null) {
        return Optional.empty();
      }
      try (RevWalk walk = new RevWalk(repo)) {
        walk.parseCommit(id);
      }
      return Optional.of(id);
    } catch (MissingObjectException e) {
      throw new GitException(
          GitException.Kind.CORRUPT,
          "workdir " + dir + ": HEAD names commit " + e.getObjectId().name() + " which is missing",
          e);
    } catch (IOException | RuntimeException e) {
      if (e instanceof GitException g) {
        throw g;
      }
      throw new GitException(
          GitException.Kind.CORRUPT, "workdir " + dir + ": cannot read HEAD: " + e.getMessage(), e);
    }
  }

  /**
   * Fetches from {@code answered} from now on: the fallback remote (a mirror) that answered when
   * the configured one did not. The repository's {@code origin} is left as it is.
   */
  public void fetchFrom(RemoteAccess answered) {
    if (!answered.url().equals(access.url())) {
      LOG.info("workdir {}: fetching from {}", dir, answered.url());
    }
    this.access = answered;
  }

  /**
   * Fetches one remote ref and returns the commit it names now; the remote may have moved since it
   * was listed, in which case the newer commit is returned. An empty or shallow repository fetches
   * shallow (depth 1); a full clone fetches what it lacks. See {@link Fetcher}.
   */
  public ObjectId fetch(String ref, ProgressMonitor progress) {
    return fetch(ref, progress, false);
  }

  /**
   * Fetches one remote ref; with {@code fullHistory} a shallow repository is deepened to the full
   * history of that ref, because ancestry questions (barriers) need it.
   *
   * @throws GitException {@code UNREACHABLE} only when the network failed, {@code PROTOCOL} when
   *     the remote answered but the fetch failed there, {@code MISSING_REF}, or {@code OTHER} /
   *     {@code CORRUPT} when the result cannot be stored
   */
  public ObjectId fetch(String ref, ProgressMonitor progress, boolean fullHistory) {
    return new Fetcher(repo, dir, access).fetch(ref, progress, fullHistory);
  }

  /**
   * Fetches {@code ref} back to {@code base}, the shallow commit this node runs, and returns the
   * ref's commit when it descends from {@code base}: a node's first move after a shallow install
   * learns that from what lies between the two, not from the ref's whole history. Empty when it
   * does not descend, when a fetch back to {@code base} cannot show it, or when the node is not a
   * shallow one at {@code base}; the repository is then as before. See {@link DescendantFetch}.
   *
   * @throws GitException {@code UNREACHABLE} when the network failed
   */
  public Optional<ObjectId> fetchDescendant(String ref, ObjectId base, ProgressMonitor progress) {
    return new DescendantFetch(repo, dir, access).fetch(ref, base, progress);
  }

  /**
   * The tracked files that differ from HEAD and the untracked files that are not ignored: what a
   * checkout would destroy. A damaged index is rebuilt from HEAD first (the old one is kept beside
   * it), which loses nothing: the files themselves are compared by content afterwards.
   */
  public Collection<String> localChanges(Instant now) {
    return tree.localChanges(now);
  }

  /**
   * Saves modified tracked files (content and mode) and untracked, non-ignored files as a
   * stash-shaped commit under {@code refs/sluice/saved/<time>}. Touches nothing in the working
   * tree: the caller records the ref, then {@link #clearSavedUntracked} and the checkout replace
   * the files, so a run killed at any point has its work either in the tree or under a ref it
   * recorded.
   */
  public Optional<SavedChanges> saveLocalChanges(Instant now, String why) {
    Status status = tree.status(now);
    Collection<String> paths = TreeState.localChanges(status);
    if (paths.isEmpty() && status.getMissing().isEmpty()) {
      return Optional.empty();
    }
    TreeSet<String> all = new TreeSet<>(paths);
    all.addAll(status.getMissing());
    return savedWork.save(status, all, now, why, retention);
  }

  /**
   * Removes the untracked files a saved commit holds (its third parent), where the file still has
   * the saved content: they are safe under the saved ref, and the new commit may track the path.
   */
  public void clearSavedUntracked(SavedChanges saved) {
    savedWork.clearSavedUntracked(saved);
  }

  /**
   * Deletes the temporary files a failed JGit checkout leaves beside the files it was writing
   * ({@code ._<name><digits>.tmp}, e.g. when the disk filled up), but only beside a file of {@code
   * to}'s tree, so no file of anyone else's is touched.
   */
  public List<String> removeCheckoutTempFiles(ObjectId to) {
    return leftovers.removeCheckoutTempFiles(to);
  }

  /**
   * Moves HEAD (detached) and the tracked files to a commit, from a clean working tree: files the
   * commit does not track and ignored files are left alone.
   */
  public void checkout(ObjectId commit, ProgressMonitor progress) {
    checkout(commit, progress, false);
  }

  /**
   * Like {@link #checkout(ObjectId, ProgressMonitor)}; with {@code rewriteAll} every tracked file
   * is then rewritten to the commit's content too, including files something else deleted or
   * changed meanwhile (a hook that broke the tree, a killed checkout): what a restore needs.
   */
  public void checkout(ObjectId commit, ProgressMonitor progress, boolean rewriteAll) {
    try {
      git.checkout().setName(commit.name()).setForced(true).setProgressMonitor(progress).call();
      if (rewriteAll) {
        git.reset()
            .setMode(ResetCommand.ResetType.HARD)
            .setRef(commit.name())
            .setProgressMonitor(progress)
            .call();
      }
      LOG.info("workdir {}: checked out {}", dir, commit.name());
    } catch (GitAPIException | JGitInternalException e) {
      GitException failure =
          new GitException(
              GitException.Kind.OTHER,
              "workdir "
                  + dir
                  + ": checkout of "
                  + commit.name()
                  + " failed: "
                  + GitException.rootMessage(e),
              e);
      if (!rewriteAll || DiskFull.causes(e)) {
        throw failure;
      }
      // A checkout killed halfway can leave a tree JGit refuses to touch: write it outright.
      LOG.warn(
          "workdir {}: {}; writing every tracked file of {} instead",
          dir,
          failure.getMessage(),
          commit.name());
      try {
        TreeRewrite.rewrite(repo, dir, commit);
        git.reset().setMode(ResetCommand.ResetType.HARD).setRef(commit.name()).call();
        LOG.info("workdir {}: rewrote the tree of {}", dir, commit.name());
      } catch (IOException | GitAPIException | JGitInternalException again) {
        failure.addSuppressed(again);
        throw failure;
      }
    }
  }

  /**
   * Removes the lock files a killed git operation left anywhere in {@code .git} (see {@link
   * GitLocks}). Only called while the work-tree lock is held.
   *
   * @return the lock files removed, relative to {@code .git}
   */
  public List<String> clearStaleLocks() {
    return GitLocks.clearStale(repo.getDirectory().toPath());
  }

  /**
   * After an interrupted first install of {@code to}: deletes the files it had already written
   * (untracked, holding exactly {@code to}'s content), so the install starts from an empty tree and
   * nothing anyone else wrote is removed.
   */
  public List<String> removeWritten(ObjectId to) {
    return leftovers.removeWritten(to);
  }

  /**
   * After an interrupted checkout of {@code to} was undone back to {@code from}: deletes the files
   * that the interrupted checkout had already written and that {@code from} does not track, but
   * only where the file is untracked and holds exactly {@code to}'s content, so nothing anyone else
   * wrote is ever removed.
   */
  public List<String> removeLeftovers(ObjectId from, ObjectId to) {
    return leftovers.removeLeftovers(from, to);
  }

  /**
   * How the tracked files stand against HEAD: missing ones, and ones that differ (edited locally or
   * by the post-update hook). Untracked files are not looked at.
   *
   * @param missing tracked files that are not in the working tree
   * @param modified tracked files whose content or mode differs, or that are staged differently
   */
  public record TreeCheck(List<String> missing, List<String> modified) {
    public TreeCheck {
      missing = List.copyOf(missing);
      modified = List.copyOf(modified);
    }
  }

  /** Compares the tracked files with HEAD (a damaged index is rebuilt first). */
  public TreeCheck check(Instant now) {
    return tree.check(now);
  }

  /** Writes these tracked paths back from {@code commit}, as {@code git checkout C -- paths}. */
  public void restorePaths(ObjectId commit, List<String> paths) {
    try {
      git.checkout().setStartPoint(commit.name()).addPaths(paths).call();
      LOG.warn("workdir {}: restored {} missing tracked file(s)", dir, paths.size());
    } catch (GitAPIException | JGitInternalException e) {
      throw new GitException(
          GitException.Kind.OTHER,
          "workdir " + dir + ": cannot restore missing files: " + GitException.rootMessage(e),
          e);
    }
  }

  /**
   * Checks that HEAD is the commit and every tracked file equals the commit's tree.
   *
   * @throws GitException naming the first differing paths
   */
  public void verify(ObjectId commit, Instant now) {
    tree.verify(commit, now);
  }

  /**
   * The first path of {@code commit}'s tree that git must never check out ({@code .git}, {@code
   * ..}, a segment with a slash or a NUL), or empty when every path is safe. Checked before a
   * checkout touches anything: JGit refuses such a path halfway through.
   */
  public Optional<String> unsafePath(ObjectId commit) {
    return tree.unsafePath(commit);
  }

  /** Which of {@code paths} differ between two commits (what an update changed under them). */
  public List<String> changedBetween(ObjectId from, ObjectId to, List<String> paths) {
    return tree.changedBetween(from, to, paths);
  }

  /** The local changes kept under {@code ref}, when it exists. */
  public Optional<SavedChanges> savedAt(String ref) {
    return savedWork.savedAt(ref);
  }

  @Override
  public void close() {
    git.close();
    repo.close();
  }
}
