package dev.sluice.web.cli;

import dev.sluice.core.git.GitException;
import dev.sluice.core.git.RemoteAccess;
import dev.sluice.core.trust.SshKeySigner;
import dev.sluice.web.fleet.FleetDatabase;
import dev.sluice.web.fleet.FleetService;
import dev.sluice.web.fleet.GuardQueries;
import dev.sluice.web.guard.GuardService;
import dev.sluice.web.notify.ChangeWatcher;
import dev.sluice.web.notify.Webhook;
import dev.sluice.web.notify.WebhookNotifier;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.internal.storage.dfs.DfsRepositoryDescription;
import org.eclipse.jgit.internal.storage.dfs.InMemoryRepository;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;

/** The guard and the notifications, built from the command line; closed with the server. */
record Safety(
    Optional<GuardService> guard,
    WebhookNotifier notifier,
    ChangeWatcher watcher,
    ScheduledExecutorService ticker)
    implements AutoCloseable {

  static Safety create(
      SafetyOptions options,
      String remote,
      Path db,
      FleetDatabase database,
      boolean reportTimes,
      FleetService fleet,
      Clock clock,
      Map<String, String> env) {
    List<Webhook> webhooks = new ArrayList<>();
    options.webhooks.forEach(url -> webhooks.add(Webhook.parse(url, Webhook.Format.JSON)));
    options.slackWebhooks.forEach(url -> webhooks.add(Webhook.parse(url, Webhook.Format.SLACK)));
    WebhookNotifier notifier =
        new WebhookNotifier(
            webhooks, WebhookNotifier.Retry.DEFAULT, WebhookNotifier.DEFAULT_QUEUE, clock);
    ChangeWatcher watcher =
        new ChangeWatcher(
            notifier,
            clock,
            options.notifyFailures,
            options.notifyStaleNodes,
            () -> fleet.fleet().stale().total());
    if (remote == null) {
      ScheduledExecutorService ticker = null;
      if (!webhooks.isEmpty()) {
        ticker =
            Executors.newSingleThreadScheduledExecutor(
                r -> {
                  Thread thread = new Thread(r, "fleet-notify");
                  thread.setDaemon(true);
                  return thread;
                });
        long every = options.guardInterval.toMillis();
        ticker.scheduleWithFixedDelay(watcher::tick, 0, every, TimeUnit.MILLISECONDS);
      }
      return new Safety(Optional.empty(), notifier, watcher, ticker);
    }
    RemoteAccess read = RemoteAccess.configure(remote, null, Map.of(), sshHome());
    String pushTo = options.guardPushUrl != null ? options.guardPushUrl : remote;
    Map<String, String> pushEnv = new java.util.HashMap<>();
    String user = env.get(RemoteAccess.USERNAME_VARIABLE);
    if (user != null) {
      pushEnv.put(RemoteAccess.USERNAME_VARIABLE, user);
    }
    RemoteAccess push =
        RemoteAccess.configure(pushTo, options.guardPushTokenFile, pushEnv, sshHome());
    GuardService guard =
        new GuardService(
            new GuardService.Settings(
                read.url(),
                provider(read),
                push.url(),
                provider(push),
                db.toAbsolutePath().resolveSibling(db.getFileName() + ".guard-cache"),
                options.identityName(),
                options.identityEmail(),
                !options.noGuard,
                signKey(options.guardSignKey)),
            new GuardQueries(database, reportTimes),
            clock,
            watcher);
    return new Safety(Optional.of(guard), notifier, watcher, null);
  }

  /**
   * The guard's signing key, tried once at start (a key that cannot sign would only show when a
   * release fails), or null.
   */
  private static Path signKey(Path key) {
    if (key == null) {
      return null;
    }
    Path absolute = key.toAbsolutePath();
    try (Repository probe = new InMemoryRepository(new DfsRepositoryDescription("probe"))) {
      SshKeySigner.sign(
          probe, new byte[0], new PersonIdent("probe", "probe@sluice.invalid"), absolute);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(
          "--guard-sign-key " + key + " cannot sign: " + GitException.rootMessage(e));
    }
    return absolute;
  }

  private static RemoteAccess.Ssh sshHome() {
    return RemoteAccess.Ssh.of(Path.of(System.getProperty("user.home")));
  }

  private static CredentialsProvider provider(RemoteAccess access) {
    return access
        .credentials()
        .map(
            c ->
                (CredentialsProvider)
                    new UsernamePasswordCredentialsProvider(c.username(), c.secret()))
        .orElse(null);
  }

  @Override
  public void close() {
    guard.ifPresent(GuardService::close);
    if (ticker != null) {
      ticker.shutdownNow();
    }
    notifier.close();
  }
}
