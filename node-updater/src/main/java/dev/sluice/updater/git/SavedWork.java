package dev.sluice.updater.git;

import dev.sluice.core.git.GitException;
import dev.sluice.core.text.Show;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.eclipse.jgit.api.Status;
import org.eclipse.jgit.api.errors.JGitInternalException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.EmptyTreeIterator;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.TreeFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Local work saved before a checkout, kept under {@code refs/sluice/saved/<time>}: saving it,
 * listing it, reading one back, clearing the saved untracked files from the tree, and pruning it by
 * a {@link SavedRetention}.
 *
 * <p>Each saved commit has the shape of {@code git stash}: its tree is the work tree, its parents
 * are the commit it was saved on, the index, and (when there were any) the untracked files. So
 * {@code git stash apply <ref>} restores all of it, and {@code git checkout <ref> -- <path>} one
 * tracked file ({@code <ref>^3} for an untracked one).
 */
public final class SavedWork {

  public static final String PREFIX = "refs/sluice/saved/";

  private static final Logger LOG = LoggerFactory.getLogger(SavedWork.class);
  private static final DateTimeFormatter STAMP = Show.COMPACT_TIME;
  private static final Pattern PLAIN_WORD = Pattern.compile("[A-Za-z0-9_./:@%+=,-]+");

  private final Repository repo;
  private final Path dir;

  SavedWork(Repository repo, Path dir) {
    this.repo = repo;
    this.dir = dir;
  }

  /**
   * The saved work kept in the working tree at {@code dir}, newest first. Reads only: no lock, no
   * network, nothing written.
   *
   * @throws GitException {@code OTHER} when {@code dir} holds no git repository, {@code CORRUPT}
   *     when it cannot be read
   */
  public static List<SavedWorkEntry> list(Path dir) {
    Path gitDir = dir.resolve(Constants.DOT_GIT);
    if (!Files.isDirectory(gitDir)) {
      throw new GitException(
          GitException.Kind.OTHER, "workdir " + dir + " holds no git repository");
    }
    try (Repository repo =
        new FileRepositoryBuilder()
            .setWorkTree(dir.toFile())
            .setGitDir(gitDir.toFile())
            .setMustExist(true)
            .build()) {
      return new SavedWork(repo, dir).entries();
    } catch (IOException e) {
      throw new GitException(
          GitException.Kind.CORRUPT,
          "workdir " + dir + ": cannot read saved work: " + e.getMessage(),
          e);
    }
  }

  /**
   * Saves the local changes (content and mode) as a new saved-work ref, touching nothing in the
   * working tree, then prunes by the retention. The caller records the ref before the files are
   * replaced, so a run killed at any point has the work in the tree or under a ref it recorded.
   */
  Optional<SavedChanges> save(
      Status status, Collection<String> paths, Instant now, String why, SavedRetention retention) {
    try {
      ObjectId saved = LocalWork.snapshot(repo, dir, status, now, why);
      String ref = uniqueRef(now);
      requireRef(ref, saved);
      SavedChanges changes = new SavedChanges(ref, saved, List.copyOf(paths));
      LOG.warn("workdir {}: {}", dir, changes.describe());
      pruneAfterSave(now, retention);
      return Optional.of(changes);
    } catch (JGitInternalException | IOException e) {
      throw new GitException(
          GitException.Kind.OTHER,
          "workdir "
              + dir
              + ": cannot save local changes ("
              + paths.size()
              + " files); nothing was changed: "
              + GitException.rootMessage(e),
          e);
    }
  }

  /** JGit does not report a failed stash ref update: check it, and write the ref if missing. */
  private void requireRef(String ref, ObjectId saved) throws IOException {
    Ref written = repo.exactRef(ref);
    if (written != null && saved.equals(written.getObjectId())) {
      return;
    }
    RefUpdate update = repo.updateRef(ref);
    update.setNewObjectId(saved);
    update.setExpectedOldObjectId(ObjectId.zeroId());
    RefUpdate.Result result = update.update();
    if (result != RefUpdate.Result.NEW) {
      throw new GitException(
          GitException.Kind.OTHER,
          "workdir "
              + dir
              + ": local changes were saved as commit "
              + saved.name()
              + " but "
              + ref
              + " cannot be created ("
              + result
              + "); restore with: git -C "
              + quote(dir)
              + " stash apply "
              + saved.name());
    }
  }

  private String uniqueRef(Instant now) throws IOException {
    String base = PREFIX + STAMP.format(now);
    String ref = base;
    for (int n = 2; repo.exactRef(ref) != null; n++) {
      ref = base + "-" + n;
    }
    return ref;
  }

  /** The save has succeeded; a failure to prune must not turn it into a failure. */
  private void pruneAfterSave(Instant now, SavedRetention retention) {
    try {
      prune(now, retention);
    } catch (IOException | RuntimeException e) {
      LOG.warn("workdir {}: cannot prune old saved work: {}", dir, GitException.rootMessage(e));
    }
  }

  /**
   * Deletes the saved-work refs the retention does not keep and logs each one.
   *
   * @return the pruned entries
   */
  List<SavedWorkEntry> prune(Instant now, SavedRetention retention) throws IOException {
    List<SavedWorkEntry> entries = entries();
    Instant cutoff = now.minus(retention.keepFor());
    List<SavedWorkEntry> pruned = new ArrayList<>();
    for (int i = retention.keep(); i < entries.size(); i++) {
      SavedWorkEntry entry = entries.get(i);
      if (!entry.savedAt().isBefore(cutoff)) {
        continue;
      }
      RefUpdate delete = repo.updateRef(entry.ref());
      delete.setExpectedOldObjectId(ObjectId.fromString(entry.commit()));
      delete.setForceUpdate(true);
      RefUpdate.Result result = delete.delete();
      if (result != RefUpdate.Result.FORCED) {
        LOG.warn("workdir {}: cannot prune saved work {}: {}", dir, entry.ref(), result);
        continue;
      }
      LOG.info(
          "workdir {}: pruned saved work {} of {} (older than {} and beyond the newest {})",
          dir,
          entry.ref(),
          entry.savedAt(),
          retention.keepFor(),
          retention.keep());
      pruned.add(entry);
    }
    return pruned;
  }

  /** Every saved-work ref, newest first. */
  List<SavedWorkEntry> entries() throws IOException {
    List<SavedWorkEntry> entries = new ArrayList<>();
    try (RevWalk walk = new RevWalk(repo)) {
      for (Ref ref : repo.getRefDatabase().getRefsByPrefix(PREFIX)) {
        if (ref.getObjectId() == null) {
          continue;
        }
        RevCommit commit = walk.parseCommit(ref.getObjectId());
        entries.add(
            new SavedWorkEntry(
                ref.getName(),
                commit.name(),
                commit.getCommitterIdent().getWhenAsInstant(),
                files(walk, commit),
                "git -C " + quote(dir) + " stash apply " + ref.getName()));
      }
    }
    entries.sort(
        Comparator.comparing(SavedWorkEntry::savedAt)
            .thenComparing(SavedWorkEntry::ref)
            .reversed());
    return entries;
  }

  /** The paths the saved commit changed against the commit it was saved on, and the untracked. */
  private List<String> files(RevWalk walk, RevCommit saved) throws IOException {
    TreeSet<String> files = new TreeSet<>();
    try (TreeWalk tree = new TreeWalk(repo)) {
      tree.setRecursive(true);
      if (saved.getParentCount() > 0) {
        tree.addTree(walk.parseCommit(saved.getParent(0)).getTree());
      } else {
        tree.addTree(new EmptyTreeIterator());
      }
      tree.addTree(saved.getTree());
      tree.setFilter(TreeFilter.ANY_DIFF);
      while (tree.next()) {
        files.add(tree.getPathString());
      }
    }
    if (saved.getParentCount() > 2) {
      try (TreeWalk untracked = new TreeWalk(repo)) {
        untracked.setRecursive(true);
        untracked.addTree(walk.parseCommit(saved.getParent(2)).getTree());
        while (untracked.next()) {
          files.add(untracked.getPathString());
        }
      }
    }
    return List.copyOf(files);
  }

  /** See {@link Workdir#clearSavedUntracked(SavedChanges)}. */
  void clearSavedUntracked(SavedChanges saved) {
    try (RevWalk walk = new RevWalk(repo);
        TreeWalk tree = new TreeWalk(repo)) {
      RevCommit commit = walk.parseCommit(saved.commit());
      if (commit.getParentCount() < 3) {
        return;
      }
      tree.addTree(walk.parseCommit(commit.getParent(2)).getTree());
      tree.setRecursive(true);
      while (tree.next()) {
        Path file = dir.resolve(tree.getPathString());
        if (Files.isSymbolicLink(file)
            || (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)
                && Arrays.equals(
                    Files.readAllBytes(file), repo.open(tree.getObjectId(0)).getBytes()))) {
          Files.delete(file);
        }
      }
    } catch (IOException e) {
      throw new GitException(
          GitException.Kind.OTHER,
          "workdir " + dir + ": cannot clear saved untracked files: " + e.getMessage(),
          e);
    }
  }

  /** See {@link Workdir#savedAt(String)}. */
  Optional<SavedChanges> savedAt(String ref) {
    try (RevWalk walk = new RevWalk(repo)) {
      Ref found = repo.exactRef(ref);
      if (found == null) {
        return Optional.empty();
      }
      RevCommit saved = walk.parseCommit(found.getObjectId());
      TreeSet<String> paths = new TreeSet<>();
      if (saved.getParentCount() > 0) {
        try (TreeWalk diff = new TreeWalk(repo)) {
          diff.addTree(walk.parseCommit(saved.getParent(0)).getTree());
          diff.addTree(saved.getTree());
          diff.setRecursive(true);
          while (diff.next()) {
            paths.add(diff.getPathString());
          }
        }
      }
      if (saved.getParentCount() > 2) {
        try (TreeWalk untracked = new TreeWalk(repo)) {
          untracked.addTree(walk.parseCommit(saved.getParent(2)).getTree());
          untracked.setRecursive(true);
          while (untracked.next()) {
            paths.add(untracked.getPathString());
          }
        }
      }
      return Optional.of(new SavedChanges(ref, saved.copy(), List.copyOf(paths)));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** A path as one shell word. */
  public static String quote(Path path) {
    String text = path.toAbsolutePath().toString();
    return PLAIN_WORD.matcher(text).matches() ? text : "'" + text.replace("'", "'\\''") + "'";
  }
}
