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
 */
public record SavedChanges(String ref, ObjectId commit, List<String> paths) {

  public SavedChanges {
    Objects.requireNonNull(ref, "ref");
    Objects.requireNonNull(commit, "commit");
    paths = List.copyOf(paths);
  }

  /** One line telling an operator where the changes are and how to get them back. */
  public String describe() {
    return paths.size()
        + " locally changed file(s) saved as "
        + ref
        + " (restore with: git stash apply "
        + commit.name()
        + ")";
  }
}
