package dev.sluice.admin.cli;

import dev.sluice.admin.git.PushHook;
import dev.sluice.admin.promote.HealthClient;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * What the commands get from the outside world, passed in rather than read from statics so tests
 * can run the whole program in-process.
 *
 * @param env the environment variables (token, cache location, tagger identity)
 * @param home the user's home directory (default cache location)
 * @param pushHook called right before every push (a test seam; does nothing in production)
 * @param health the client that asks the fleet dashboard for health numbers
 */
record Wiring(Map<String, String> env, Path home, PushHook pushHook, HealthClient health) {

  Wiring {
    env = Map.copyOf(env);
    Objects.requireNonNull(home, "home");
    Objects.requireNonNull(pushHook, "pushHook");
    Objects.requireNonNull(health, "health");
  }

  static Wiring system() {
    return new Wiring(
        System.getenv(),
        Path.of(System.getProperty("user.home")),
        PushHook.NONE,
        HealthClient.withDefaults());
  }
}
