package dev.sluice.admin.git;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jgit.lib.PersonIdent;

/**
 * Who made a tag or a policy commit: the operator's git identity, as {@link OperatorIdentity} finds
 * it. Never invented: a name and an email that someone configured or gave. {@code signing} is how
 * their tags and commits are signed ({@link Signing#NONE}: not at all).
 */
public record Operator(String name, String email, Signing signing) {

  private static final Pattern NAME_EMAIL = Pattern.compile("\\s*([^<>]*?)\\s*<([^<>]*)>\\s*");

  public Operator {
    name = check(name, "name");
    email = check(email, "email");
    Objects.requireNonNull(signing, "signing");
  }

  /** An operator who does not sign. */
  public Operator(String name, String email) {
    this(name, email, Signing.NONE);
  }

  /** The same operator signing this way. */
  public Operator withSigning(Signing newSigning) {
    return new Operator(name, email, newSigning);
  }

  /**
   * Parses {@code NAME <EMAIL>}, as {@code --as} takes it.
   *
   * @throws IllegalArgumentException saying what is expected
   */
  public static Operator parse(String text) {
    Matcher matcher = NAME_EMAIL.matcher(text == null ? "" : text);
    if (!matcher.matches()) {
      throw new IllegalArgumentException(
          "'" + text + "' is not NAME <EMAIL>, e.g. \"Olga Operator <olga@example.org>\"");
    }
    return new Operator(matcher.group(1), matcher.group(2));
  }

  /** A git identity at the given time, in UTC. */
  public PersonIdent at(Instant when) {
    return new PersonIdent(name, email, when, ZoneOffset.UTC);
  }

  @Override
  public String toString() {
    return name + " <" + email + ">";
  }

  private static String check(String value, String what) {
    Objects.requireNonNull(value, what);
    String stripped = value.strip();
    if (stripped.isEmpty()) {
      throw new IllegalArgumentException("the operator's " + what + " is empty");
    }
    if (stripped.chars().anyMatch(c -> c == '<' || c == '>' || c < 0x20)) {
      throw new IllegalArgumentException(
          "the operator's " + what + " '" + stripped + "' contains <, > or a control character");
    }
    return stripped;
  }
}
