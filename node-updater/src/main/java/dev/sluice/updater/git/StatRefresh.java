package dev.sluice.updater.git;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.treewalk.AbstractTreeIterator;
import org.eclipse.jgit.treewalk.FileTreeIterator;
import org.eclipse.jgit.util.FS;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records in the index the size and time of tracked files whose content was just found equal to the
 * index, as {@code git update-index --refresh} does, so that the next check compares them by size
 * and time instead of reading and hashing every one.
 *
 * <p>JGit marks an index entry "smudged" (size 0) when the file was written too close to the index
 * itself for its time to prove anything: after a checkout, that is most files. Such entries are
 * compared by content at every check until the index is written again, which a run that changes
 * nothing never did: every no-op run hashed hundreds of files. An entry is refreshed only when its
 * file is older than {@link #SETTLED} (so its time is no longer ambiguous), and only after its
 * content is hashed again here and its size and time are the same after the hashing as before: a
 * file changed meanwhile keeps its smudged entry and is compared by content next time.
 */
final class StatRefresh {

  /** Older than JGit's fallback timestamp resolution (2 s) with a margin. */
  static final Duration SETTLED = Duration.ofSeconds(5);

  private static final Logger LOG = LoggerFactory.getLogger(StatRefresh.class);

  private StatRefresh() {}

  /**
   * Refreshes the entries of regular files the index cannot vouch for; call right after comparing
   * the tracked files with the index, under the work-tree lock.
   *
   * @param modified the paths that comparison found different: left alone, not hashed again
   * @return how many entries were refreshed
   */
  static int refresh(Repository repo, Path dir, Instant now, Set<String> modified)
      throws IOException {
    DirCache index = repo.lockDirCache();
    int refreshed = 0;
    try {
      try (ObjectInserter.Formatter hasher = new ObjectInserter.Formatter()) {
        for (int i = 0; i < index.getEntryCount(); i++) {
          DirCacheEntry entry = index.getEntry(i);
          FileMode mode = entry.getFileMode();
          if (entry.getStage() != DirCacheEntry.STAGE_0
              || (mode != FileMode.REGULAR_FILE && mode != FileMode.EXECUTABLE_FILE)
              || modified.contains(entry.getPathString())) {
            continue;
          }
          Path file = dir.resolve(entry.getPathString());
          BasicFileAttributes before = attributes(file);
          if (before == null
              || !before.isRegularFile()
              || before.lastModifiedTime().toInstant().isAfter(now.minus(SETTLED))
              || !stale(entry, before.size(), before.lastModifiedTime().toInstant())) {
            continue; // unsettled, or the index vouches for it already
          }
          ObjectId content;
          try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            content = hasher.idFor(Constants.OBJ_BLOB, before.size(), in);
          }
          BasicFileAttributes after = attributes(file);
          if (!content.equals(entry.getObjectId())
              || after == null
              || after.size() != before.size()
              || !after.lastModifiedTime().equals(before.lastModifiedTime())) {
            continue;
          }
          entry.setLength(before.size());
          entry.setLastModified(before.lastModifiedTime().toInstant());
          refreshed++;
        }
      }
      if (refreshed == 0) {
        return 0;
      }
      index.write();
      if (!index.commit()) {
        throw new IOException("cannot replace the index");
      }
      LOG.debug("refreshed the size and time of {} index entries", refreshed);
      return refreshed;
    } finally {
      index.unlock();
    }
  }

  /** Whether the index cannot vouch for a file of this size and time by its entry alone. */
  private static boolean stale(DirCacheEntry entry, long size, Instant modified) {
    return entry.isSmudged()
        || entry.getLength() != size
        || !entry.getLastModifiedInstant().equals(modified);
  }

  /**
   * The working tree as a check compares it with the index, noting whether any entry found clean
   * was one {@link #refresh} would record: when none was, the refresh is skipped, and a check of a
   * node whose index already vouches for every file neither locks the index nor reads the tree a
   * second time. Skipping it never skips a comparison: it only leaves a later check to compare such
   * a file by content again.
   */
  static final class Watch extends FileTreeIterator {
    private final boolean[] wanted;

    Watch(Repository repo) {
      super(repo);
      this.wanted = new boolean[1];
    }

    private Watch(Watch parent, File dir, FS fs) {
      super(parent, dir, fs, parent.fileModeStrategy);
      this.wanted = parent.wanted;
    }

    @Override
    protected AbstractTreeIterator enterSubtree() {
      return new Watch(this, getEntryFile(), fs);
    }

    @Override
    public boolean isModified(DirCacheEntry entry, boolean forceContentCheck, ObjectReader reader)
        throws IOException {
      // Before the comparison: JGit unsmudges the entry in memory when the content is equal.
      boolean stale =
          entry != null && stale(entry, getEntryLength(), getEntryLastModifiedInstant());
      boolean modified = super.isModified(entry, forceContentCheck, reader);
      if (stale && !modified) {
        wanted[0] = true;
      }
      return modified;
    }

    /** Whether a file found clean had an entry that {@link #refresh} would record. */
    boolean refreshWanted() {
      return wanted[0];
    }
  }

  private static BasicFileAttributes attributes(Path file) {
    try {
      return Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (IOException e) {
      return null;
    }
  }
}
