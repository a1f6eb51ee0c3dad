package dev.sluice.admin.git;

import java.util.Objects;
import org.eclipse.jgit.lib.ObjectId;

/**
 * One ref to move on the remote, guarded by the id it must still have there.
 *
 * @param ref the full ref name, e.g. {@code refs/heads/master}
 * @param expectedOld the id the remote must still have; {@link ObjectId#zeroId()} when the ref must
 *     not exist yet
 * @param newId the commit or tag object to point it at
 * @param force whether a non-fast-forward move is allowed (the expected old id still applies)
 */
public record RefChange(String ref, ObjectId expectedOld, ObjectId newId, boolean force) {

  public RefChange {
    Objects.requireNonNull(ref, "ref");
    Objects.requireNonNull(expectedOld, "expectedOld");
    Objects.requireNonNull(newId, "newId");
    if (!ref.startsWith("refs/")) {
      throw new IllegalArgumentException("not a full ref name: " + ref);
    }
  }

  /** A change that creates a ref that must not exist yet. */
  public static RefChange create(String ref, ObjectId newId) {
    return new RefChange(ref, ObjectId.zeroId(), newId, false);
  }

  /** A change that moves a ref from the id it had when we read it (null: it did not exist). */
  public static RefChange move(String ref, String oldId, ObjectId newId, boolean force) {
    return new RefChange(
        ref, oldId == null ? ObjectId.zeroId() : ObjectId.fromString(oldId), newId, force);
  }
}
