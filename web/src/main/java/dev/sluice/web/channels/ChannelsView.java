package dev.sluice.web.channels;

import dev.sluice.core.promotion.GateResult;
import dev.sluice.web.fleet.PromotionHealth;
import dev.sluice.web.guard.GuardReport;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The channels of the remote as the dashboard shows them, as {@code GET /api/channels} returns it.
 *
 * @param checkedAt when the remote was read (on the dashboard's clock)
 * @param error why the remote could not be read; null when it was
 * @param channels one card per channel (empty when {@code error} is set)
 * @param promotion whether the preprod candidate could be promoted now (null on error)
 * @param note what the dashboard does not check that {@code channel-admin promote} does
 */
public record ChannelsView(
    String remote,
    Instant checkedAt,
    String error,
    List<Card> channels,
    Promotion promotion,
    String note) {

  public ChannelsView {
    channels = List.copyOf(channels);
  }

  static ChannelsView unreachable(String remote, Instant checkedAt, String error) {
    return new ChannelsView(remote, checkedAt, error, List.of(), null, null);
  }

  /**
   * One channel's card.
   *
   * @param commit the branch tip (null when the branch is missing)
   * @param tag the release tag on the tip, null when the tip is untagged
   * @param newestRelease the channel's newest release tag by version
   * @param soakEndsAt preprod only: when the candidate's soak is over
   * @param promotable preprod only: whether promoting the candidate would pass every gate now
   * @param reasons preprod only: why not, one line per refusing gate
   * @param halt the guard's halt of this channel (when, what, why), null when none
   */
  public record Card(
      String channel,
      String branch,
      String commit,
      String tag,
      String newestRelease,
      Instant soakEndsAt,
      Boolean promotable,
      List<String> reasons,
      GuardReport.HaltView halt) {
    public Card {
      reasons = reasons == null ? null : List.copyOf(reasons);
    }
  }

  /**
   * The promotion gates' verdict on the candidate.
   *
   * @param health the dashboard's own numbers for the candidate commit on preprod
   */
  public record Promotion(
      String candidate,
      String candidateCommit,
      boolean alreadyPromoted,
      boolean allowed,
      String soakRequired,
      String soakRemaining,
      Instant soakEndsAt,
      List<GateResult> gates,
      PromotionHealth health) {
    public Promotion {
      gates = List.copyOf(gates);
    }

    static String iso(Duration duration) {
      return duration == null ? null : duration.toString();
    }
  }
}
