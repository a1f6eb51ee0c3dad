package dev.sluice.admin.cli;

import dev.sluice.admin.git.PushHook;
import dev.sluice.admin.policy.RolloutPolicySource;
import dev.sluice.admin.promote.HealthClient;
import dev.sluice.admin.promote.PolicySource;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * What the commands get from the outside world, passed in rather than read from statics so tests
 * can run the whole program in-process.
 *
 * @param env the environment variables (token, cache location, tagger identity)
 * @param home the user's home directory (default cache location, global git config)
 * @param cwd the working directory (its repository's git config names the operator), or null
 * @param pushHook called right before every push (a test seam; does nothing in production)
 * @param health the client that asks the fleet dashboard for health numbers
 * @param policy where the rollout policy (soak, pause, health thresholds) comes from; the built-in
 *     defaults until the policy file is read
 */
record Wiring(
    Map<String, String> env,
    Path home,
    Path cwd,
    PushHook pushHook,
    HealthClient health,
    PolicySource policy) {

  Wiring {
    env = Map.copyOf(env);
    Objects.requireNonNull(home, "home");
    Objects.requireNonNull(pushHook, "pushHook");
    Objects.requireNonNull(health, "health");
    Objects.requireNonNull(policy, "policy");
  }

  static Wiring system() {
    return new Wiring(
        System.getenv(),
        Path.of(System.getProperty("user.home")),
        Path.of("").toAbsolutePath(),
        PushHook.NONE,
        HealthClient.withDefaults(),
        new RolloutPolicySource());
  }
}
