package dev.sluice.web.fleet;

import java.util.Locale;

/**
 * A filtered page of nodes, in node-id order.
 *
 * @param channel only this channel (null: all)
 * @param version only this version label (null: all)
 * @param action only this action (null: all)
 * @param text only nodes whose id, groups, commits or version contain this (case-insensitive)
 * @param name only nodes whose name contains this (case-insensitive)
 * @param after only nodes after this id (a cursor from {@link NodePage#next()}; null: from the
 *     start)
 * @param offset rows to skip after the cursor
 * @param limit rows to return, 1 to {@link #MAX_LIMIT}
 */
public record NodeQuery(
    String channel,
    String version,
    String action,
    String text,
    String name,
    String after,
    int offset,
    int limit) {

  public static final int MAX_LIMIT = 500;
  public static final int DEFAULT_LIMIT = 50;

  /** A query without a name filter. */
  public NodeQuery(
      String channel,
      String version,
      String action,
      String text,
      String after,
      int offset,
      int limit) {
    this(channel, version, action, text, null, after, offset, limit);
  }

  public NodeQuery {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT);
    }
    if (offset < 0) {
      throw new IllegalArgumentException("offset must not be negative");
    }
    channel = blankToNull(channel);
    version = blankToNull(version);
    action = blankToNull(action);
    text = blankToNull(text) == null ? null : text.trim().toLowerCase(Locale.ROOT);
    name = blankToNull(name) == null ? null : name.trim().toLowerCase(Locale.ROOT);
    if (name != null && name.length() > 128) {
      throw new IllegalArgumentException("name is longer than 128 characters");
    }
    after = blankToNull(after) == null ? null : after.trim().toLowerCase(Locale.ROOT);
    if (text != null && text.length() > 200) {
      throw new IllegalArgumentException("search text is longer than 200 characters");
    }
  }

  private static String blankToNull(String text) {
    return text == null || text.isBlank() ? null : text;
  }
}
