package dev.sluice.core.history;

import java.io.IOException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.revwalk.filter.RevFilter;

/** Whether two commits share history, in a repository that may be shallow. */
final class CommonHistory {

  private CommonHistory() {}

  /**
   * False only when both commits' histories are complete in {@code repo} (no shallow boundary, no
   * missing object) and have no merge base; true when they share a commit or when it cannot be
   * told.
   */
  static boolean related(Repository repo, ObjectId a, ObjectId b) {
    try (RevWalk walk = new RevWalk(repo)) {
      RevCommit left = walk.parseCommit(a);
      RevCommit right = walk.parseCommit(b);
      walk.setRevFilter(RevFilter.MERGE_BASE);
      walk.markStart(left);
      walk.markStart(right);
      if (walk.next() != null) {
        return true;
      }
      return !(complete(repo, a) && complete(repo, b));
    } catch (IOException e) {
      return true;
    }
  }

  private static boolean complete(Repository repo, ObjectId tip) throws IOException {
    var shallow = repo.getObjectDatabase().getShallowCommits();
    try (RevWalk walk = new RevWalk(repo)) {
      walk.markStart(walk.parseCommit(tip));
      for (RevCommit commit : walk) {
        if (shallow.contains(commit)) {
          return false;
        }
      }
      return true;
    }
  }
}
