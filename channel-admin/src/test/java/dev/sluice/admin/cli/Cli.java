package dev.sluice.admin.cli;

import dev.sluice.admin.git.PushHook;
import dev.sluice.admin.promote.HealthClient;
import dev.sluice.admin.promote.PolicySource;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Runs channel-admin in-process against a test remote, always with a cache in a temp dir. */
final class Cli {

  /** One run: exit code and what was printed. */
  record Result(int code, String out, String err) {
    @Override
    public String toString() {
      return "exit " + code + "\n--- out\n" + out + "\n--- err\n" + err;
    }
  }

  private final Path home;
  private final Path cache;
  private PushHook hook = PushHook.NONE;
  private PolicySource policy = PolicySource.DEFAULTS;

  Cli(Path tmp) {
    this.home = tmp.resolve("home");
    this.cache = tmp.resolve("cache");
  }

  Path cache() {
    return cache;
  }

  /** Runs the next commands with a hook called right before each push. */
  Cli withHook(PushHook newHook) {
    this.hook = newHook;
    return this;
  }

  /** Runs the next commands under this rollout policy. */
  Cli withPolicy(PolicySource newPolicy) {
    this.policy = newPolicy;
    return this;
  }

  /** Runs with {@code --cache} appended. */
  Result run(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--cache");
    all.add(cache.toString());
    return runExactly(all.toArray(String[]::new));
  }

  /** Runs with exactly these arguments. */
  Result runExactly(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    Wiring wiring =
        new Wiring(
            Map.of(
                "GIT_COMMITTER_NAME", "Olga Operator", "GIT_COMMITTER_EMAIL", "olga@ops.invalid"),
            home,
            hook,
            HealthClient.withDefaults(),
            policy);
    int code =
        ChannelAdminCommand.run(
            wiring, new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Result(code, out.toString(), err.toString());
  }
}
