package dev.sluice.updater.git;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectDatabase;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes {@code .git/shallow} true again after a fetch was killed between writing it and storing the
 * pack it described: every commit reachable from a ref whose parent is missing is marked shallow,
 * so walking the history stops there instead of failing with "Missing commit" on every later fetch.
 */
final class ShallowRepair {

  private static final Logger LOG = LoggerFactory.getLogger(ShallowRepair.class);

  private ShallowRepair() {}

  /** True when the failure is a commit the local history names but the repository lacks. */
  static boolean isMissingHistory(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof MissingObjectException
          || (t.getMessage() != null && t.getMessage().startsWith("Missing commit"))) {
        return true;
      }
    }
    return false;
  }

  /** Rewrites the shallow list from what the repository really holds; returns how many changed. */
  static int repair(Repository repo) throws IOException {
    ObjectDatabase objects = repo.getObjectDatabase();
    Set<ObjectId> before = objects.getShallowCommits();
    Set<ObjectId> shallow = new HashSet<>();
    Set<ObjectId> seen = new HashSet<>();
    Deque<ObjectId> todo = new ArrayDeque<>();
    for (Ref ref : repo.getRefDatabase().getRefs()) {
      ObjectId id = ref.getPeeledObjectId() != null ? ref.getPeeledObjectId() : ref.getObjectId();
      if (id != null) {
        todo.add(id);
      }
    }
    try (ObjectReader reader = repo.newObjectReader()) {
      while (!todo.isEmpty()) {
        ObjectId id = todo.pop();
        if (!seen.add(id) || !objects.has(id)) {
          continue;
        }
        byte[] raw = reader.open(id).getCachedBytes();
        if (reader.open(id).getType() != Constants.OBJ_COMMIT) {
          continue;
        }
        RevCommit commit = RevCommit.parse(raw);
        boolean cut = false;
        for (RevCommit parent : commit.getParents()) {
          if (objects.has(parent)) {
            todo.add(parent.copy());
          } else {
            cut = true;
          }
        }
        if (cut) {
          shallow.add(id.copy());
        }
      }
    }
    if (shallow.equals(before)) {
      return 0;
    }
    objects.setShallowCommits(shallow);
    LOG.warn(
        "repaired .git/shallow after an interrupted fetch: {} shallow commit(s), was {}",
        shallow.size(),
        before.size());
    return Math.max(1, Math.abs(shallow.size() - before.size()));
  }
}
