package dev.sluice.core.trust;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevObject;
import org.eclipse.jgit.revwalk.RevTag;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * Whether a commit may be run: an annotated tag that names it, or the commit itself, must carry a
 * valid signature by a key of the trust file. Everything found is said, so an operator reading the
 * log knows which signer was seen and why it was refused.
 */
public final class ReleaseTrust {

  private ReleaseTrust() {}

  /**
   * The outcome for one commit.
   *
   * @param trusted whether some tag on it or the commit itself is trusted
   * @param by what carried the trusted signature ({@code tag v5.2.0} or {@code commit}), or null
   * @param signer who signed it, or the first signer seen when nothing is trusted (null: unsigned)
   * @param summary one line for logs and reports
   */
  public record Decision(boolean trusted, String by, String signer, String summary) {
    public Decision {
      Objects.requireNonNull(summary, "summary");
    }
  }

  /**
   * Checks a commit.
   *
   * @param tags annotated tags that may name the commit, by name (their tag objects must be in the
   *     repository; a tag that names another object is ignored)
   */
  public static Decision check(
      TrustFile trust, Repository repository, ObjectId commit, Map<String, ObjectId> tags) {
    List<String> seen = new ArrayList<>();
    String firstSigner = null;
    try (RevWalk walk = new RevWalk(repository)) {
      for (Map.Entry<String, ObjectId> tag : new TreeMap<>(tags).entrySet()) {
        RevObject object;
        try {
          object = walk.parseAny(tag.getValue());
        } catch (MissingObjectException e) {
          seen.add("tag " + tag.getKey() + ": not fetched");
          continue;
        }
        if (!(object instanceof RevTag revTag) || !revTag.getObject().equals(commit)) {
          continue;
        }
        Verdict verdict = trust.verify(repository, revTag);
        if (verdict.trusted()) {
          return new Decision(
              true,
              "tag " + tag.getKey(),
              verdict.signer(),
              "tag " + tag.getKey() + " " + verdict.describe());
        }
        firstSigner = firstSigner == null ? verdict.signer() : firstSigner;
        seen.add("tag " + tag.getKey() + " " + verdict.describe());
      }
      RevCommit revCommit = walk.parseCommit(commit);
      Verdict verdict = trust.verify(repository, revCommit);
      if (verdict.trusted()) {
        return new Decision(true, "commit", verdict.signer(), "commit " + verdict.describe());
      }
      firstSigner = firstSigner == null ? verdict.signer() : firstSigner;
      seen.add("commit " + verdict.describe());
    } catch (IOException e) {
      seen.add("cannot read " + commit.name() + ": " + e.getMessage());
    }
    return new Decision(
        false,
        null,
        firstSigner,
        "no trusted signature on "
            + commit.abbreviate(10).name()
            + " ("
            + String.join("; ", seen)
            + ")");
  }
}
