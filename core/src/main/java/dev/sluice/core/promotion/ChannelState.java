package dev.sluice.core.promotion;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Objects;

/**
 * The channels of one remote as read from git at one moment: everything the promotion gates and a
 * status display need, and nothing that depends on the clock.
 *
 * @param remote the remote URL the state was read from
 * @param stable the stable channel's branch ({@code master})
 * @param preprod the preprod channel's branch ({@code preprod})
 * @param candidate the promotion candidate, i.e. the newest preprod release tag by version; null
 *     when there is none
 * @param candidatePromotion the stable release tag with the candidate's version ({@code v5.2.0} for
 *     {@code v5.2.0_pre}), null when the candidate was never promoted
 * @param preprodAhead commits on preprod that master does not have (0 when a branch is missing)
 * @param preprodBehind commits on master that preprod does not have (0 when a branch is missing)
 * @param masterIsAncestorOfCandidate whether master can be fast-forwarded to the candidate (true
 *     also when master already is the candidate commit)
 * @param releases every release tag of both channels, newest first
 */
@JsonPropertyOrder({
  "remote",
  "stable",
  "preprod",
  "candidate",
  "candidatePromotion",
  "preprodAhead",
  "preprodBehind",
  "masterIsAncestorOfCandidate",
  "releases"
})
public record ChannelState(
    String remote,
    BranchState stable,
    BranchState preprod,
    Release candidate,
    Release candidatePromotion,
    int preprodAhead,
    int preprodBehind,
    boolean masterIsAncestorOfCandidate,
    List<Release> releases) {

  public ChannelState {
    Objects.requireNonNull(remote, "remote");
    Objects.requireNonNull(stable, "stable");
    Objects.requireNonNull(preprod, "preprod");
    releases = List.copyOf(releases);
    if (candidatePromotion != null && candidate == null) {
      throw new IllegalArgumentException("a candidate promotion needs a candidate");
    }
  }

  /** Whether the candidate's stable tag exists and marks the candidate's commit. */
  public boolean alreadyPromoted() {
    return candidate != null
        && candidatePromotion != null
        && candidatePromotion.commit().equals(candidate.commit());
  }

  /** Whether the candidate's stable tag name is already used for another commit. */
  public boolean stableTagTaken() {
    return candidatePromotion != null && !candidatePromotion.commit().equals(candidate.commit());
  }
}
