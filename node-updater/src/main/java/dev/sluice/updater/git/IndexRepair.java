package dev.sluice.updater.git;

import dev.sluice.core.git.GitException;
import dev.sluice.core.text.Show;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.function.Supplier;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the git index readable again after a killed write damaged it: the damaged file is moved
 * aside ({@code index.corrupt-<time>}) and a new index is built from HEAD. Nothing is lost: the
 * files themselves are compared by content afterwards.
 *
 * <p>Logs as {@link Workdir}, as it did before it was split out of it.
 */
final class IndexRepair {

  private static final Logger LOG = LoggerFactory.getLogger(Workdir.class);
  private static final DateTimeFormatter STAMP = Show.COMPACT_TIME;

  private final Repository repo;
  private final Path dir;
  private final Supplier<Optional<ObjectId>> head;

  /**
   * @param head reads the commit checked out now ({@link Workdir#head()})
   */
  IndexRepair(Repository repo, Path dir, Supplier<Optional<ObjectId>> head) {
    this.repo = repo;
    this.dir = dir;
    this.head = head;
  }

  /** Reads the index once; a damaged one is rebuilt from HEAD (the old one kept beside it). */
  void ensureIndexReadable(Instant now) {
    try {
      repo.readDirCache();
    } catch (IOException damage) {
      rebuildIndex(now, damage);
    }
  }

  private void rebuildIndex(Instant now, Exception damage) {
    Path index = repo.getIndexFile().toPath();
    Path aside = index.resolveSibling("index.corrupt-" + STAMP.format(now));
    try {
      Files.move(index, aside, StandardCopyOption.REPLACE_EXISTING);
      DirCache fresh = repo.lockDirCache();
      try {
        DirCacheBuilder builder = fresh.builder();
        Optional<ObjectId> head = this.head.get();
        if (head.isPresent()) {
          try (RevWalk walk = new RevWalk(repo)) {
            builder.addTree(
                new byte[0], 0, repo.newObjectReader(), walk.parseCommit(head.get()).getTree());
          }
        }
        builder.finish();
        fresh.write();
        fresh.commit();
      } finally {
        fresh.unlock();
      }
      LOG.warn(
          "workdir {}: git index was damaged ({}); moved it to {} and rebuilt it from HEAD",
          dir,
          GitException.rootMessage(damage),
          aside);
    } catch (IOException e) {
      throw new GitException(
          GitException.Kind.CORRUPT,
          "workdir " + dir + ": cannot rebuild damaged index: " + e.getMessage(),
          e);
    }
  }
}
