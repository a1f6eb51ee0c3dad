package dev.sluice.web.notify;

import dev.sluice.core.git.RemoteUrls;
import java.net.URI;
import java.util.Locale;
import java.util.Objects;

/**
 * One configured receiver: its URL and the body it takes.
 *
 * @param format {@link Format#JSON} (the event as JSON) or {@link Format#SLACK} ({@code {"text":
 *     ...}}, what Slack, Mattermost and Rocket.Chat incoming webhooks take)
 */
public record Webhook(URI url, Format format) {

  /** The body a receiver takes. */
  public enum Format {
    JSON,
    SLACK
  }

  public Webhook {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(format, "format");
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https") || url.getHost() == null) {
      throw new IllegalArgumentException(
          "webhook " + shown(url.toString()) + " is not an http or https URL");
    }
  }

  /** Parses a URL given on the command line. */
  public static Webhook parse(String text, Format format) {
    try {
      return new Webhook(URI.create(text.strip()), format);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "webhook " + shown(text) + " is not an http or https URL", e);
    }
  }

  /**
   * The URL as shown on the dashboard and in logs: scheme, host and port only, since the path of a
   * webhook URL is often its secret (Slack's is).
   */
  public String shown() {
    return url.getScheme()
        + "://"
        + url.getHost()
        + (url.getPort() < 0 ? "" : ":" + url.getPort())
        + "/***";
  }

  private static String shown(String text) {
    String redacted = RemoteUrls.redact(text);
    int path = redacted.indexOf('/', redacted.indexOf("://") + 3);
    return path < 0 || redacted.indexOf("://") < 0 ? "'***'" : redacted.substring(0, path) + "/***";
  }

  @Override
  public String toString() {
    return format.name().toLowerCase(Locale.ROOT) + " " + shown();
  }
}
