package dev.sluice.core.rollout;

import java.util.Objects;
import org.eclipse.jgit.lib.ObjectId;

/**
 * Where a node should be after this run, and why.
 *
 * <ul>
 *   <li>{@link Verdict#MOVE}: check out {@code commit} (named {@code ref}); {@code reason} is an
 *       optional note ({@code barrier}, {@code deadend-escape}, {@code first-install}).
 *   <li>{@link Verdict#STAY}: the node already runs {@code commit}, the channel's target; {@code
 *       reason} is null.
 *   <li>{@link Verdict#HOLD}: the node keeps what it runs; {@code ref} and {@code commit} name
 *       where it would have gone, {@code reason} says why not (never null).
 * </ul>
 *
 * @param verdict move, stay or hold
 * @param ref how the destination is named (a tag, a branch ref or a policy ref)
 * @param commit the destination commit
 * @param reason the note or hold reason (see above)
 */
public record RolloutDecision(Verdict verdict, String ref, ObjectId commit, Reason reason) {

  /** The three outcomes. */
  public enum Verdict {
    MOVE,
    STAY,
    HOLD
  }

  public RolloutDecision {
    Objects.requireNonNull(verdict, "verdict");
    Objects.requireNonNull(ref, "ref");
    commit = Objects.requireNonNull(commit, "commit").copy();
    if (verdict == Verdict.HOLD && reason == null) {
      throw new IllegalArgumentException("a hold needs a reason");
    }
  }

  static RolloutDecision move(String ref, ObjectId commit, Reason note) {
    return new RolloutDecision(Verdict.MOVE, ref, commit, note);
  }

  static RolloutDecision stay(String ref, ObjectId commit) {
    return new RolloutDecision(Verdict.STAY, ref, commit, null);
  }

  static RolloutDecision hold(String ref, ObjectId commit, Reason reason) {
    return new RolloutDecision(Verdict.HOLD, ref, commit, reason);
  }

  public boolean moves() {
    return verdict == Verdict.MOVE;
  }

  public boolean held() {
    return verdict == Verdict.HOLD;
  }

  /** One line for people, e.g. {@code held (phased-rollout): ...; retry after 2026-...}. */
  public String describe() {
    String where = label(ref, commit);
    return switch (verdict) {
      case MOVE -> "move to " + where + (reason == null ? "" : ": " + reason.text());
      case STAY -> "stay on " + where + ": already there";
      case HOLD ->
          "held ("
              + reason.code()
              + "), not moving to "
              + where
              + ": "
              + reason.text()
              + (reason.retryAt() == null ? "" : "; retry after " + reason.retryAt());
    };
  }

  /** {@code v5.2.0 (1a2b3c4)}: a short ref name and an abbreviated commit id. */
  static String label(String ref, ObjectId commit) {
    String shortRef = ref;
    for (String prefix : new String[] {"refs/heads/", "refs/tags/"}) {
      if (shortRef.startsWith(prefix)) {
        shortRef = shortRef.substring(prefix.length());
      }
    }
    String id = commit.abbreviate(7).name();
    return shortRef.equals(commit.name()) || id.startsWith(shortRef) || shortRef.startsWith(id)
        ? id
        : shortRef + " (" + id + ")";
  }
}
