package dev.sluice.admin.git;

import dev.sluice.admin.AdminException;
import dev.sluice.core.git.GitException;
import dev.sluice.core.git.RemoteCache;
import java.io.IOException;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import org.eclipse.jgit.errors.NotSupportedException;
import org.eclipse.jgit.errors.TransportException;
import org.eclipse.jgit.lib.NullProgressMonitor;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.eclipse.jgit.transport.Transport;
import org.eclipse.jgit.transport.URIish;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pushes several refs from the cache in one atomic transaction, each guarded by its expected old
 * id: either every ref moves or none does.
 */
public final class AtomicPush {

  private static final Logger LOG = LoggerFactory.getLogger(AtomicPush.class);
  private static final int TIMEOUT_SECONDS = 30;

  private AtomicPush() {}

  /**
   * Pushes the changes atomically and checks every ref's status (a rejected push does not throw).
   *
   * @throws AdminException.PushRejected when the remote refused any ref (nothing changed)
   * @throws GitException when the remote cannot be reached
   */
  public static void push(RemoteCache cache, List<RefChange> changes) {
    String remote = cache.remote();
    try (Transport transport = Transport.open(cache.repository(), new URIish(remote))) {
      transport.setPushAtomic(true);
      transport.setTimeout(TIMEOUT_SECONDS);
      if (cache.credentials() != null) {
        transport.setCredentialsProvider(cache.credentials());
      }
      List<RemoteRefUpdate> updates = new ArrayList<>();
      for (RefChange change : changes) {
        updates.add(
            new RemoteRefUpdate(
                cache.repository(),
                (String) null,
                change.newId(),
                change.ref(),
                change.force(),
                null,
                change.expectedOld()));
      }
      PushResult result = transport.push(NullProgressMonitor.INSTANCE, updates);
      StringJoiner rejected = new StringJoiner("; ");
      for (RemoteRefUpdate update : result.getRemoteUpdates()) {
        RemoteRefUpdate.Status status = update.getStatus();
        if (status != RemoteRefUpdate.Status.OK && status != RemoteRefUpdate.Status.UP_TO_DATE) {
          rejected.add(describe(update));
        }
      }
      if (rejected.length() > 0) {
        LOG.warn("push to {} rejected, nothing changed: {}", remote, rejected);
        throw new AdminException.PushRejected(
            "remote " + remote + " rejected the push, nothing was changed: " + rejected);
      }
    } catch (URISyntaxException e) {
      throw new GitException(
          GitException.Kind.INVALID_REMOTE, "remote '" + remote + "' is not a git URL", e);
    } catch (NotSupportedException e) {
      throw new GitException(
          GitException.Kind.INVALID_REMOTE, "remote " + remote + " cannot be pushed to", e);
    } catch (TransportException e) {
      throw new GitException(
          GitException.Kind.UNREACHABLE,
          "cannot push to " + remote + ": " + e.getMessage().strip(),
          e);
    } catch (IOException e) {
      throw new GitException(
          GitException.Kind.CORRUPT, "cannot prepare the push to " + remote + " from the cache", e);
    }
  }

  private static String describe(RemoteRefUpdate update) {
    String why =
        switch (update.getStatus()) {
          case REJECTED_REMOTE_CHANGED ->
              ObjectId.zeroId().equals(update.getExpectedOldObjectId())
                  ? "it was created by someone else since we read the remote"
                  : "it was moved by someone else since we read it";
          case REJECTED_NONFASTFORWARD -> "not a fast-forward";
          case REJECTED_NODELETE -> "the remote does not allow deleting it";
          case REJECTED_OTHER_REASON ->
              update.getMessage() == null ? "rejected" : "rejected (" + update.getMessage() + ")";
          case NON_EXISTING -> "it does not exist";
          case NOT_ATTEMPTED, AWAITING_REPORT -> "not pushed";
          default -> update.getStatus().toString();
        };
    ObjectId expected = update.getExpectedOldObjectId();
    String refName = update.getRemoteName();
    if (expected != null && !ObjectId.zeroId().equals(expected)) {
      return refName + " (expected at " + expected.abbreviate(8).name() + ") " + why;
    }
    return refName + " " + why;
  }
}
