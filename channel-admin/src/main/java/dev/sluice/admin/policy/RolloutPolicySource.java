package dev.sluice.admin.policy;

import dev.sluice.admin.promote.PolicySource;
import dev.sluice.core.policy.Policy;
import dev.sluice.core.policy.PolicyReader;
import dev.sluice.core.promotion.PromotionRules;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.Repository;

/**
 * The rollout policy's say in promote and status, read from {@code channels.json} on the fetched
 * cache's {@code rollout-policy} branch: {@code promotion.soak}, whether stable is paused, and
 * {@code promotion.minHealthyPreprodNodes}/{@code maxFailureRatio}, the dead-ends and what each
 * channel tracks. No branch means the built-in defaults; an invalid file is a {@link
 * dev.sluice.core.policy.PolicyValidationException} (exit 2), because promoting under a policy
 * nobody can read would be a guess.
 */
public final class RolloutPolicySource implements PolicySource {

  @Override
  public PromotionRules read(Repository cache) {
    Policy policy =
        PolicyReader.readRef(cache, Constants.R_HEADS + Policy.BRANCH).orElse(Policy.defaults());
    return PromotionRules.of(policy);
  }
}
