package dev.sluice.admin.git;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Objects;
import org.eclipse.jgit.lib.PersonIdent;

/**
 * Who signs the tags channel-admin makes. From {@code GIT_COMMITTER_NAME}/{@code
 * GIT_COMMITTER_EMAIL} (as git itself reads them), else the login name, else {@code channel-admin}.
 */
public record Operator(String name, String email) {

  public Operator {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(email, "email");
  }

  public static Operator fromEnvironment(Map<String, String> env) {
    String name = first(env, "GIT_COMMITTER_NAME", "GIT_AUTHOR_NAME", "USER", "LOGNAME");
    String email = first(env, "GIT_COMMITTER_EMAIL", "GIT_AUTHOR_EMAIL");
    return new Operator(
        name == null ? "channel-admin" : name,
        email == null ? "channel-admin@sluice.invalid" : email);
  }

  /** A git identity at the given time, in UTC. */
  public PersonIdent at(Instant when) {
    return new PersonIdent(name, email, when, ZoneOffset.UTC);
  }

  private static String first(Map<String, String> env, String... names) {
    for (String key : names) {
      String value = env.get(key);
      if (value != null && !value.isBlank()) {
        return value.strip();
      }
    }
    return null;
  }
}
