package dev.sluice.updater.git;

import dev.sluice.core.git.GitException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.text.MessageFormat;
import java.util.regex.Pattern;
import org.eclipse.jgit.errors.TransportException;
import org.eclipse.jgit.internal.JGitText;

/**
 * Tells a fetch that could not reach the remote (the node is offline: exit 10) from one that
 * reached it and failed there, or failed on the node.
 */
final class FetchFailures {

  /** JGit's message for an HTTP error status: "{@code <url>: 503 Service Unavailable}". */
  private static final Pattern HTTP_SERVER_ERROR = Pattern.compile("(^|: )5\\d\\d( |$)");

  /**
   * The socket errors JGit passes on as text only (its git:// transport drops the cause of a
   * refused connection and of an unknown host).
   */
  private static final Pattern SOCKET_ERROR =
      Pattern.compile(
          "Connection refused|Connection reset|(Read|Connect|Connection) timed out"
              + "|Connection time out|No route to host|Network is unreachable|Host is unreachable|: "
              + Pattern.quote(JGitText.get().unknownHost)
              + "$",
          Pattern.CASE_INSENSITIVE);

  private FetchFailures() {}

  /** The domain exception for a failed fetch of {@code ref}, with its cause on one line. */
  static GitException classify(Exception e, String ref, String remote, Path dir) {
    String cause = GitException.rootMessage(e);
    if (cause.contains(MessageFormat.format(JGitText.get().remoteDoesNotHaveSpec, ref))) {
      return new GitException(
          GitException.Kind.MISSING_REF, "remote " + remote + " does not have " + ref, e);
    }
    if (isLocalStorageFailure(cause)) {
      return new GitException(
          GitException.Kind.OTHER,
          "cannot store " + ref + " fetched from " + remote + " in " + dir + ": " + cause,
          e);
    }
    if (isNetworkFailure(e)) {
      return new GitException(
          GitException.Kind.UNREACHABLE,
          "cannot fetch " + ref + " from " + remote + ": " + cause,
          e);
    }
    return new GitException(
        GitException.Kind.PROTOCOL, "fetching " + ref + " from " + remote + " failed: " + cause, e);
  }

  /**
   * The connection could not be made or broke off: refused, unknown host, no route, a timeout, a
   * reset, or an HTTP server that answers 5xx (down or overloaded).
   */
  static boolean isNetworkFailure(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof ConnectException
          || t instanceof UnknownHostException
          || t instanceof NoRouteToHostException
          || t instanceof SocketException
          || t instanceof InterruptedIOException) {
        return true;
      }
      if (t instanceof TransportException
          && t.getMessage() != null
          && (HTTP_SERVER_ERROR.matcher(t.getMessage()).find()
              || SOCKET_ERROR.matcher(t.getMessage()).find())) {
        return true;
      }
    }
    return false;
  }

  /** A full disk or quota is a local problem, not an unreachable remote. */
  private static boolean isLocalStorageFailure(String message) {
    return message.contains("No space left on device")
        || message.contains("Disk quota exceeded")
        || message.contains("Read-only file system");
  }
}
