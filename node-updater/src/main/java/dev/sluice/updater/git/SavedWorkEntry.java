package dev.sluice.updater.git;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One piece of saved work kept in the node's repository.
 *
 * @param ref where it is kept, e.g. {@code refs/sluice/saved/20261121T070000Z}
 * @param commit the saved commit (stash-shaped)
 * @param savedAt when it was saved
 * @param files the changed and untracked paths it holds
 * @param restore the command that puts all of it back into the working tree
 */
public record SavedWorkEntry(
    String ref, String commit, Instant savedAt, List<String> files, String restore) {

  public SavedWorkEntry {
    Objects.requireNonNull(ref, "ref");
    Objects.requireNonNull(commit, "commit");
    Objects.requireNonNull(savedAt, "savedAt");
    Objects.requireNonNull(restore, "restore");
    files = List.copyOf(files);
  }
}
