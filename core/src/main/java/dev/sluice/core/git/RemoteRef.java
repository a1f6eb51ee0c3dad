package dev.sluice.core.git;

import java.util.Objects;
import org.eclipse.jgit.lib.ObjectId;

/**
 * One ref advertised by a remote: its full name, the object it points to, and for an annotated tag
 * the commit it peels to (null when the remote did not advertise it).
 */
public record RemoteRef(String name, ObjectId objectId, ObjectId peeledId) {

  public RemoteRef {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(objectId, "objectId");
  }

  /** The commit this ref ultimately names, as far as the advertisement tells. */
  public ObjectId commitId() {
    return peeledId != null ? peeledId : objectId;
  }
}
