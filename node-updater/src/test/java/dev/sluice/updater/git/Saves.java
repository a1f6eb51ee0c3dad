package dev.sluice.updater.git;

import java.time.Instant;
import java.util.Optional;
import org.eclipse.jgit.lib.NullProgressMonitor;

/** What a run does around a checkout, for tests that save work without moving. */
final class Saves {

  private Saves() {}

  /**
   * Saves the local work (which touches nothing in the tree), then clears it as a run does before
   * its checkout: saved untracked files removed, tracked files back to HEAD.
   */
  static Optional<SavedChanges> saveAndReset(Workdir workdir, Instant at) {
    Optional<SavedChanges> saved = workdir.saveLocalChanges(at, "test");
    saved.ifPresent(
        s -> {
          workdir.clearSavedUntracked(s);
          workdir.checkout(workdir.head().orElseThrow(), NullProgressMonitor.INSTANCE, true);
        });
    return saved;
  }
}
