package dev.sluice.admin.promote;

import dev.sluice.core.promotion.PromotionRules;
import org.eclipse.jgit.lib.Repository;

/**
 * Where promote and status get the rollout policy from: read from the freshly fetched cache clone
 * (which also mirrors the {@code rollout-policy} branch), so the policy is as current as the
 * channels it governs.
 */
@FunctionalInterface
public interface PolicySource {

  /** No policy file yet: {@link PromotionRules#DEFAULT}. */
  PolicySource DEFAULTS = cache -> PromotionRules.DEFAULT;

  PromotionRules read(Repository cache);
}
