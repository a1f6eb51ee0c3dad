package dev.sluice.core.promotion;

import dev.sluice.core.policy.Deadend;
import dev.sluice.core.rollout.GitFacts;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;

/** Which of the rollout policy's dead-ends name a promotion candidate. */
public final class Deadends {

  private Deadends() {}

  /**
   * The dead-ends that name the candidate, one line each ({@code v5.3.0_pre: why}): an entry whose
   * ref resolves to the candidate's commit, or that names the candidate's tag or the stable tag it
   * would get (which may not exist yet).
   */
  public static List<String> matching(
      List<Deadend> deadends, Release candidate, String stableTag, GitFacts git) {
    List<String> reasons = new ArrayList<>();
    if (candidate == null) {
      return reasons;
    }
    ObjectId commit = ObjectId.fromString(candidate.commit());
    for (Deadend deadend : deadends) {
      String ref = deadend.ref();
      String name =
          ref.startsWith(Constants.R_TAGS) ? ref.substring(Constants.R_TAGS.length()) : ref;
      boolean named = name.equals(candidate.tag()) || name.equals(stableTag);
      if (named || git.resolve(ref).map(commit::equals).orElse(false)) {
        reasons.add(ref + ": " + deadend.reason());
      }
    }
    return reasons;
  }
}
