package dev.sluice.updater.apply;

import dev.sluice.updater.git.SavedChanges;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.eclipse.jgit.lib.ObjectId;

/**
 * What applying (or recovering) a change ended with.
 *
 * @param result applied, rolled back, or broken (the previous commit could not be restored)
 * @param current the commit the working tree is at now (null if nothing is installed)
 * @param saved local changes saved before the checkout
 * @param message one line for people
 * @param reasonCode a stable code for scripts when it failed (null when applied)
 */
public record ApplyOutcome(
    Result result,
    ObjectId current,
    Optional<SavedChanges> saved,
    String message,
    String reasonCode) {

  public ApplyOutcome {
    Objects.requireNonNull(result, "result");
    Objects.requireNonNull(saved, "saved");
    Objects.requireNonNull(message, "message");
  }

  /** How it ended. */
  public enum Result {
    APPLIED,
    ROLLED_BACK,
    BROKEN,
    /** The commit was refused before anything was touched (an unsafe tree). */
    REFUSED,
    /** Recovery only: nothing needed undoing, the run goes on normally. */
    NOTHING_TO_UNDO
  }

  public List<String> savedWarnings() {
    return saved.map(s -> List.of(s.describe())).orElse(List.of());
  }
}
