package dev.sluice.web.guard;

import dev.sluice.core.git.GitException;
import dev.sluice.core.git.RemoteUrls;
import dev.sluice.core.policy.Policy;
import dev.sluice.core.policy.PolicyCommits;
import dev.sluice.core.trust.SshKeySigner;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.GpgSignature;
import org.eclipse.jgit.lib.NullProgressMonitor;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.eclipse.jgit.transport.Transport;
import org.eclipse.jgit.transport.URIish;

/**
 * One commit on {@code rollout-policy}, pushed as a compare-and-swap: the push names the tip it was
 * built on, so when someone else (another fleet-web, an operator) moved the branch meanwhile the
 * remote refuses it and nothing changes.
 */
final class PolicyPush {

  private static final String REF = Constants.R_HEADS + Policy.BRANCH;
  private static final int TIMEOUT_SECONDS = 30;

  /** The remote refused the push because the branch is no longer where we read it. */
  static final class Rejected extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Rejected(String message) {
      super(message);
    }
  }

  private PolicyPush() {}

  /**
   * Writes the commit into {@code repo} (no ref moves) and pushes it to {@code url}.
   *
   * @param parent the tip the new policy was made from, null when the branch does not exist
   * @param signKey the SSH private key file to sign the commit with, or null for unsigned
   * @return the new commit
   * @throws Rejected when the branch moved since {@code parent} was read
   * @throws GitException when the remote cannot be reached or refuses the credentials
   */
  static ObjectId commitAndPush(
      Repository repo,
      ObjectId parent,
      String text,
      PersonIdent who,
      String message,
      Path signKey,
      String url,
      CredentialsProvider credentials) {
    ObjectId commit = write(repo, parent, text, who, message, signKey);
    String shown = RemoteUrls.redact(url);
    try (Transport transport = Transport.open(repo, new URIish(url))) {
      transport.setTimeout(TIMEOUT_SECONDS);
      if (credentials != null) {
        transport.setCredentialsProvider(credentials);
      }
      RemoteRefUpdate update =
          new RemoteRefUpdate(
              repo,
              (String) null,
              commit,
              REF,
              false,
              null,
              parent == null ? ObjectId.zeroId() : parent);
      PushResult result = transport.push(NullProgressMonitor.INSTANCE, List.of(update));
      RemoteRefUpdate done = result.getRemoteUpdate(REF);
      RemoteRefUpdate.Status status = done == null ? null : done.getStatus();
      if (status == RemoteRefUpdate.Status.OK) {
        return commit;
      }
      if (status == RemoteRefUpdate.Status.REJECTED_REMOTE_CHANGED
          || status == RemoteRefUpdate.Status.REJECTED_NONFASTFORWARD
          || status == RemoteRefUpdate.Status.UP_TO_DATE) {
        // UP_TO_DATE: another fleet-web pushed this very commit (same evidence, same second).
        throw new Rejected(
            shown + " refused the push: " + Policy.BRANCH + " moved since it was read");
      }
      throw new GitException(
          GitException.Kind.OTHER,
          shown
              + " refused the push of "
              + Policy.BRANCH
              + ": "
              + status
              + (done == null || done.getMessage() == null ? "" : " (" + done.getMessage() + ")"));
    } catch (URISyntaxException e) {
      throw new GitException(
          GitException.Kind.INVALID_REMOTE, "remote '" + shown + "' is not a git URL", e);
    } catch (IOException e) {
      throw new GitException(
          GitException.Kind.UNREACHABLE,
          "cannot push to " + shown + ": " + RemoteUrls.redactIn(GitException.rootMessage(e)),
          e);
    }
  }

  /**
   * A commit on top of {@code parent} (none: a root commit) with channels.json replaced, signed
   * with {@code signKey} when there is one.
   */
  static ObjectId write(
      Repository repo,
      ObjectId parent,
      String text,
      PersonIdent who,
      String message,
      Path signKey) {
    return PolicyCommits.write(
        repo,
        parent,
        text,
        who,
        message,
        signKey == null ? null : data -> sign(repo, data, who, signKey));
  }

  private static GpgSignature sign(Repository repo, byte[] data, PersonIdent who, Path signKey) {
    try {
      return SshKeySigner.sign(repo, data, who, signKey);
    } catch (IOException | RuntimeException e) {
      throw new GitException(
          GitException.Kind.OTHER,
          "cannot sign the guard's policy commit with "
              + signKey
              + ": "
              + GitException.rootMessage(e),
          e);
    }
  }
}
