package dev.sluice.core.git;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Takes secrets out of git remote URLs before they are printed, stored, served or sent.
 *
 * <p>Rules:
 *
 * <ul>
 *   <li>{@code http://} and {@code https://} (and any other scheme but ssh): the whole user-info
 *       part becomes {@code ***}, because both {@code user:password@} and a bare {@code token@}
 *       carry a credential: {@code https://***@host/repo.git}.
 *   <li>{@code ssh://}, {@code git+ssh://}, {@code ssh+git://}: a bare user name is kept ({@code
 *       ssh://git@host/repo}); ssh authenticates with keys, so the name is a login, not a secret. A
 *       password ({@code user:pw@}) makes the whole user-info {@code ***}.
 *   <li>scp-like {@code user@host:path} is kept as it is: it cannot carry a password, and the user
 *       is a login name.
 *   <li>Anything else (paths, {@code file://} URLs) is returned unchanged.
 * </ul>
 */
public final class RemoteUrls {

  /** What replaces a credential. */
  public static final String MASK = "***";

  private static final Pattern SCHEME_URL =
      Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*)://([^/?#]*)(.*)$", Pattern.DOTALL);

  /** A scheme URL inside free text, with a user-info part. */
  private static final Pattern IN_TEXT =
      Pattern.compile("\\b([A-Za-z][A-Za-z0-9+.-]*)://([^/?#\\s\"'<>]+)@");

  private RemoteUrls() {}

  /** {@code url} with any credential in its user-info replaced by {@value #MASK}. */
  public static String redact(String url) {
    if (url == null) {
      return null;
    }
    Matcher m = SCHEME_URL.matcher(url);
    if (!m.matches()) {
      return url;
    }
    String authority = m.group(2);
    int at = authority.lastIndexOf('@');
    if (at < 0) {
      return url;
    }
    String userInfo = authority.substring(0, at);
    String kept = keepUser(m.group(1), userInfo) ? userInfo : MASK;
    return m.group(1) + "://" + kept + authority.substring(at) + m.group(3);
  }

  /** {@code text} with the credentials of every scheme URL in it replaced by {@value #MASK}. */
  public static String redactIn(String text) {
    if (text == null || text.indexOf('@') < 0) {
      return text;
    }
    Matcher m = IN_TEXT.matcher(text);
    StringBuilder out = new StringBuilder(text.length());
    while (m.find()) {
      String kept = keepUser(m.group(1), m.group(2)) ? m.group(2) : MASK;
      m.appendReplacement(out, Matcher.quoteReplacement(m.group(1) + "://" + kept + "@"));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** Whether {@code url} carries a credential that {@link #redact} would hide. */
  public static boolean hasCredentials(String url) {
    return url != null && !redact(url).equals(url);
  }

  private static boolean keepUser(String scheme, String userInfo) {
    String s = scheme.toLowerCase(Locale.ROOT);
    boolean ssh = s.equals("ssh") || s.equals("git+ssh") || s.equals("ssh+git");
    return ssh && userInfo.indexOf(':') < 0 && !userInfo.equals(MASK);
  }
}
