package dev.sluice.core.git;

import java.util.regex.Pattern;

/** Remote URLs as they may be shown to people: never with the user-info part that holds secrets. */
public final class RemoteUrls {

  /**
   * {@code scheme://user-info@}: everything between {@code ://} and the last {@code @} of the
   * authority.
   */
  private static final Pattern USER_INFO =
      Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*://)[^/?#\\s@]*(?:@[^/?#\\s@]*)*@");

  private RemoteUrls() {}

  /**
   * The text with the user-info of every URL in it replaced by {@code ***}: {@code
   * https://user:TOKEN@host/repo.git} becomes {@code https://***@host/repo.git}. Works on a bare
   * URL and on a message that quotes one; text without such a URL is returned unchanged, and null
   * stays null. scp-like ssh addresses ({@code git@host:repo.git}) have no password and are kept.
   */
  public static String redact(String url) {
    if (url == null || url.indexOf('@') < 0) {
      return url;
    }
    return USER_INFO.matcher(url).replaceAll("$1***@");
  }
}
