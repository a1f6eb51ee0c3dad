package dev.sluice.updater.git;

import java.util.List;
import java.util.Objects;
import org.eclipse.jgit.lib.ObjectId;

/**
 * Local changes saved before a checkout: the ref holding them and the paths involved.
 *
 * @param ref the ref the saved commit is kept under, e.g. {@code
 *     refs/sluice/saved/20261121T070000Z}
 * @param commit the saved commit (a stash-shaped commit, restorable with {@code git stash apply})
 * @param paths the modified and untracked paths that were saved
 * @param conflicts the saved paths the update itself changed: applying the saved work there
 *     conflicts
 */
public record SavedChanges(
    String ref, ObjectId commit, List<String> paths, List<String> conflicts) {

  public SavedChanges {
    Objects.requireNonNull(ref, "ref");
    Objects.requireNonNull(commit, "commit");
    paths = List.copyOf(paths);
    conflicts = List.copyOf(conflicts);
  }

  public SavedChanges(String ref, ObjectId commit, List<String> paths) {
    this(ref, commit, paths, List.of());
  }

  /** The same, knowing which saved paths the update changed. */
  public SavedChanges withConflicts(List<String> changedByUpdate) {
    return new SavedChanges(ref, commit, paths, changedByUpdate);
  }

  /**
   * One line telling an operator where the changes are and how to get them back, and plainly when
   * that will conflict with what the update changed.
   */
  public String describe() {
    String restore = "git stash apply " + ref;
    if (conflicts.isEmpty()) {
      return paths.size()
          + " locally changed file(s) saved as "
          + ref
          + " (restore with: "
          + restore
          + ")";
    }
    return paths.size()
        + " locally changed file(s) saved as "
        + ref
        + "; the update changed "
        + conflicts.size()
        + " of them ("
        + String.join(", ", conflicts.subList(0, Math.min(3, conflicts.size())))
        + (conflicts.size() > 3 ? ", ..." : "")
        + "), so '"
        + restore
        + "' will conflict there: take a file with 'git checkout "
        + ref
        + " -- "
        + conflicts.get(0)
        + "' or read it with 'git show "
        + ref
        + ":"
        + conflicts.get(0)
        + "'";
  }
}
