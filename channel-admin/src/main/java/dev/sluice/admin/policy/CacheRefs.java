package dev.sluice.admin.policy;

import dev.sluice.core.git.GitException;
import dev.sluice.core.git.RemoteRef;
import dev.sluice.core.git.RemoteRefs;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;

/** The branches and tags of a freshly fetched cache, in the shape of a remote's advertisement. */
final class CacheRefs {

  private CacheRefs() {}

  static RemoteRefs of(Repository cache, String remote) {
    try {
      List<RemoteRef> refs = new ArrayList<>();
      for (Ref ref : cache.getRefDatabase().getRefsByPrefix(Constants.R_HEADS, Constants.R_TAGS)) {
        Ref peeled = cache.getRefDatabase().peel(ref);
        if (ref.getObjectId() != null) {
          refs.add(new RemoteRef(ref.getName(), ref.getObjectId(), peeled.getPeeledObjectId()));
        }
      }
      return new RemoteRefs(remote, refs);
    } catch (IOException e) {
      throw new GitException(
          GitException.Kind.CORRUPT, "cannot list the refs of the cache of " + remote, e);
    }
  }
}
