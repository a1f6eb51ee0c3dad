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

  /** The operator every test run is, unless a test gives another environment. */
  static final Map<String, String> OPERATOR_ENV =
      Map.of("GIT_COMMITTER_NAME", "Olga Operator", "GIT_COMMITTER_EMAIL", "olga@ops.invalid");

  private final Path home;
  private final Path cwd;
  private final Path cache;
  private Map<String, String> env = OPERATOR_ENV;
  private PushHook hook = PushHook.NONE;
  private PolicySource policy = PolicySource.DEFAULTS;

  Cli(Path tmp) {
    this.home = tmp.resolve("home");
    this.cwd = tmp.resolve("cwd");
    this.cache = tmp.resolve("cache");
  }

  Path cache() {
    return cache;
  }

  /** The home directory the runs see (its .gitconfig is the global git config). */
  Path home() {
    return home;
  }

  /** The working directory the runs see (a repository there has its own git config). */
  Path cwd() {
    return cwd;
  }

  /** Runs the next commands with exactly these environment variables. */
  Cli withEnv(Map<String, String> newEnv) {
    this.env = Map.copyOf(newEnv);
    return this;
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
    Wiring wiring = new Wiring(env, home, cwd, hook, HealthClient.withDefaults(), policy);
    int code =
        ChannelAdminCommand.run(
            wiring, new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Result(code, out.toString(), err.toString());
  }
}
