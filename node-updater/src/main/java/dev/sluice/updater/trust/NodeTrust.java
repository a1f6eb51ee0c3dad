package dev.sluice.updater.trust;

import dev.sluice.core.git.GitException;
import dev.sluice.core.git.RemoteRef;
import dev.sluice.core.git.RemoteRefs;
import dev.sluice.core.trust.ReleaseTrust;
import dev.sluice.core.trust.TrustFile;
import dev.sluice.updater.git.Workdir;
import dev.sluice.updater.state.KeyValueStore;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ProgressMonitor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's check before it moves: the target commit must carry, itself or through an annotated
 * tag on the remote that names it, a valid signature by a key of the node's trust file.
 *
 * <p>The last commit found trusted is remembered with the digest of the trust file it was checked
 * against: checking the same commit again under the same trust file (a retry after a failed health
 * check) fetches and verifies nothing. A commit id names its content, and a tag object that signed
 * it cannot change without changing its id, so the answer cannot go stale; a changed trust file (a
 * revoked key) changes the digest and voids it.
 */
public final class NodeTrust {

  static final String VERIFIED = "trust.verified";

  private static final Logger LOG = LoggerFactory.getLogger(NodeTrust.class);

  private final TrustFile trust;
  private final KeyValueStore kv;

  public NodeTrust(TrustFile trust, KeyValueStore kv) {
    this.trust = trust;
    this.kv = kv;
  }

  /** Checks the commit a move would check out; fetches the tags that name it. */
  public ReleaseTrust.Decision check(
      Workdir workdir, RemoteRefs refs, ObjectId commit, ProgressMonitor progress, Instant now) {
    String remembered = trust.digest() + " " + commit.name();
    if (kv.get(VERIFIED).filter(v -> v.startsWith(remembered + " ")).isPresent()) {
      String summary = kv.get(VERIFIED).get().substring(remembered.length() + 1);
      LOG.debug("trusted (checked before): {}", summary);
      return new ReleaseTrust.Decision(true, "cache", null, summary);
    }
    Map<String, ObjectId> tags = new LinkedHashMap<>();
    for (RemoteRef ref : refs.all()) {
      if (!ref.name().startsWith(Constants.R_TAGS)
          || ref.peeledId() == null
          || !ref.commitId().equals(commit)) {
        continue;
      }
      try {
        workdir.fetch(ref.name(), progress);
        tags.put(ref.name().substring(Constants.R_TAGS.length()), ref.objectId());
      } catch (GitException e) {
        LOG.warn("cannot fetch {} to check its signature: {}", ref.name(), e.getMessage());
      }
    }
    ReleaseTrust.Decision decision = ReleaseTrust.check(trust, workdir.repository(), commit, tags);
    if (decision.trusted()) {
      kv.put(VERIFIED, remembered + " " + decision.summary(), now);
    }
    return decision;
  }
}
