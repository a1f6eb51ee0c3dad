package dev.sluice.web.cli;

import dev.sluice.cli.ClockOption;
import dev.sluice.cli.ManifestVersion;
import dev.sluice.core.git.RemoteUrls;
import dev.sluice.core.history.ChannelStatusReader;
import dev.sluice.web.channels.ChannelsService;
import dev.sluice.web.fleet.ActiveCounts;
import dev.sluice.web.fleet.FleetDatabase;
import dev.sluice.web.fleet.FleetService;
import dev.sluice.web.fleet.ReportStore;
import dev.sluice.web.fleet.ReportValidator;
import dev.sluice.web.fleet.ReportWriter;
import dev.sluice.web.fleet.SlotStore;
import dev.sluice.web.fleet.StoreException;
import dev.sluice.web.http.FleetLockHandler;
import dev.sluice.web.http.FleetServer;
import dev.sluice.web.http.SafetyRoutes;
import dev.sluice.web.http.TlsKeys;
import dev.sluice.web.metrics.FleetMetrics;
import dev.sluice.web.slots.SlotService;
import io.javalin.Javalin;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code fleet-web} command: checks its options, opens the database, builds the services and
 * serves them until it is stopped.
 *
 * <p>Most of its length is the declarations of the server's options, each with the help text {@code
 * --help} prints (the guard's are already a mixin, {@link SafetyOptions}); {@link #call} is the one
 * place that wires the services and closes them in the order the server and the database need,
 * which a split would scatter.
 */
@Command(
    name = "fleet-web",
    mixinStandardHelpOptions = true,
    versionProvider = ManifestVersion.class,
    sortOptions = false,
    description = {
      "Fleet dashboard: collects node reports (POST /api/reports), aggregates them",
      "(GET /api/fleet, /api/nodes, /api/promotion-health), shows the channels of --remote",
      "(GET /api/channels) and serves the dashboard on /."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      " 0:stopped normally",
      " 1:unexpected error",
      " 2:bad usage",
      " 3:the database cannot be used (corrupt, not a fleet-web database, newer schema)",
      " 4:cannot listen on the address and port"
    })
final class FleetWebCommand implements Callable<Integer> {

  static final int OK = 0;
  static final int UNEXPECTED = 1;
  static final int USAGE = 2;
  static final int STORE = 3;
  static final int LISTEN = 4;

  private static final Logger LOG = LoggerFactory.getLogger(FleetWebCommand.class);

  @Option(
      names = "--db",
      required = true,
      paramLabel = "FILE",
      description = "SQLite file to keep reports in (created if missing).")
  Path db;

  @Option(
      names = "--port",
      defaultValue = "8080",
      paramLabel = "PORT",
      description = "Port to listen on, 0 for any free port (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--bind",
      defaultValue = "127.0.0.1",
      paramLabel = "ADDRESS",
      description = "Address to listen on (default: ${DEFAULT-VALUE}).")
  String bind;

  @Option(
      names = "--tls-cert",
      paramLabel = "FILE",
      description = {
        "Serve HTTPS with this PEM certificate chain (server certificate first), together",
        "with --tls-key. Without both, fleet-web speaks plain HTTP (put a TLS proxy in front)."
      })
  Path tlsCert;

  @Option(
      names = "--tls-key",
      paramLabel = "FILE",
      description = "The PEM private key of --tls-cert (unencrypted; RSA, EC or Ed25519).")
  Path tlsKey;

  @Option(
      names = "--remote",
      paramLabel = "URL",
      description = "Git remote whose channels the dashboard shows.")
  String remote;

  @Option(
      names = "--ingest-token",
      paramLabel = "TOKEN",
      defaultValue = "${env:SLUICE_INGEST_TOKEN}",
      description = {
        "Require 'Authorization: Bearer TOKEN' on POST /api/reports.",
        "Default: environment variable SLUICE_INGEST_TOKEN (keeps it out of ps)."
      })
  String ingestToken;

  @Option(
      names = "--read-token",
      paramLabel = "TOKEN",
      defaultValue = "${env:SLUICE_READ_TOKEN}",
      description = {
        "Require this token to read the dashboard and the GET API: 'Authorization: Bearer",
        "TOKEN', or HTTP basic with any user and TOKEN as password (browsers). /healthz and",
        "/readyz stay open. Default: environment variable SLUICE_READ_TOKEN."
      })
  String readToken;

  @Option(
      names = "--insecure",
      description = {
        "Listen on a non-loopback address without --ingest-token: anyone who can reach the",
        "port can post reports. Without this flag fleet-web refuses to start that way."
      })
  boolean insecure;

  @Option(
      names = "--uploads-per-address",
      defaultValue = "8",
      paramLabel = "N",
      description = {
        "Report bodies read at once from one client address; more wait for a 429 (default:",
        "${DEFAULT-VALUE}; raise it behind a proxy or NAT that many nodes share)."
      })
  int uploadsPerAddress;

  @Option(
      names = "--trust-report-times",
      description = {
        "For simulations only (scripts/demo): judge which nodes were known before a release",
        "by the times in their reports, not by when they arrived. Lets whoever can post",
        "reports backdate a new node id."
      })
  boolean trustReportTimes;

  @Option(
      names = "--require-signatures",
      description = {
        "Refuse unsigned reports from every node (by default an unsigned report is taken",
        "only from a node id that has no pinned key yet)."
      })
  boolean requireSignatures;

  @Option(
      names = "--max-report-age",
      defaultValue = "PT1H",
      paramLabel = "DURATION",
      description = {
        "Refuse a report sent longer ago than this by the dashboard's clock (409), so that",
        "a report held back cannot be delivered later (ISO-8601, default: ${DEFAULT-VALUE};",
        "not checked with --trust-report-times)."
      })
  Duration maxReportAge;

  @Option(
      names = "--admin-token",
      paramLabel = "TOKEN",
      defaultValue = "${env:SLUICE_ADMIN_TOKEN}",
      description = {
        "Enable admin endpoints (DELETE /api/nodes/ID) behind this bearer token;",
        "without it they answer 403. Default: environment variable SLUICE_ADMIN_TOKEN."
      })
  String adminToken;

  @Option(
      names = "--preprod-target",
      paramLabel = "P",
      description =
          "Share of the fleet that should ride preprod (default: the rollout policy's"
              + " lottery.probability on --remote, else 0.07).")
  Double preprodTarget;

  @Option(
      names = "--stale-after",
      defaultValue = "PT2H",
      paramLabel = "DURATION",
      description = "List nodes not seen for this long (ISO-8601, default: ${DEFAULT-VALUE}).")
  Duration staleAfter;

  @Option(
      names = "--soak",
      paramLabel = "DURATION",
      description =
          "Soak a preprod release needs before promotion, for the channel cards (ISO-8601;"
              + " default: the rollout policy's promotion.soak, P7D without one).")
  Duration soak;

  @Mixin ClockOption clockOption;

  @Option(names = "--verbose", description = "Show stack traces on errors.")
  boolean verbose;

  @Mixin SafetyOptions safety = new SafetyOptions();

  private final PrintWriter out;
  private final Stopper stopper;

  FleetWebCommand(PrintWriter out, Stopper stopper) {
    this.out = out;
    this.stopper = stopper;
  }

  /** Blocks until the server should stop. */
  interface Stopper {
    /** Returns when the server should stop. */
    void awaitStop(Javalin app) throws InterruptedException;

    /** Called once the server is stopped and the database closed. */
    void finished();

    /** Runs until the JVM is asked to stop, then lets the main thread close the database. */
    static Stopper untilShutdown() {
      CountDownLatch stopped = new CountDownLatch(1);
      CountDownLatch closed = new CountDownLatch(1);
      return new Stopper() {
        @Override
        public void awaitStop(Javalin app) throws InterruptedException {
          Runtime.getRuntime()
              .addShutdownHook(
                  new Thread(
                      () -> {
                        stopped.countDown();
                        try {
                          closed.await(10, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                          Thread.currentThread().interrupt();
                        }
                      },
                      "fleet-web-shutdown"));
          stopped.await();
        }

        @Override
        public void finished() {
          closed.countDown();
        }
      };
    }
  }

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    for (String[] token :
        new String[][] {
          {"--ingest-token", ingestToken},
          {"--admin-token", adminToken},
          {"--read-token", readToken}
        }) {
      if (token[1] != null && token[1].isBlank()) {
        throw new ParameterException(spec.commandLine(), token[0] + " must not be empty");
      }
    }
    if (preprodTarget != null && !(preprodTarget >= 0.0 && preprodTarget <= 1.0)) {
      throw new ParameterException(
          spec.commandLine(), "--preprod-target " + preprodTarget + " is not in [0,1]");
    }
    if (uploadsPerAddress < 1) {
      throw new ParameterException(spec.commandLine(), "--uploads-per-address must be at least 1");
    }
    if (maxReportAge.isNegative() || maxReportAge.isZero()) {
      throw new ParameterException(spec.commandLine(), "--max-report-age must be positive");
    }
    if (safety.problem() != null) {
      throw new ParameterException(spec.commandLine(), safety.problem());
    }
    if (soak != null && (soak.isNegative() || soak.isZero())) {
      throw new ParameterException(spec.commandLine(), "--soak must be positive");
    }
    if (ingestToken == null && !insecure && !isLoopback(bind)) {
      throw new ParameterException(
          spec.commandLine(),
          "--bind "
              + bind
              + " is reachable from other machines: set --ingest-token (or SLUICE_INGEST_TOKEN),"
              + " or pass --insecure to accept reports from anyone");
    }
    if ((tlsCert == null) != (tlsKey == null)) {
      throw new ParameterException(
          spec.commandLine(), "--tls-cert and --tls-key go together: give both or neither");
    }
    Optional<FleetServer.Https> https;
    try {
      https =
          tlsCert == null
              ? Optional.empty()
              : Optional.of(new FleetServer.Https(TlsKeys.read(tlsCert, tlsKey), bind, port));
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    Clock clock = ClockOption.clock(spec);
    FleetDatabase database;
    try {
      database = FleetDatabase.open(db);
    } catch (StoreException e) {
      throw new FleetWebException.Store(e.getMessage(), e);
    }
    Safety guards = null;
    try (database;
        ReportWriter writer = new ReportWriter(new ReportStore(database), clock)) {
      AtomicReference<ChannelsService> channels = new AtomicReference<>();
      DoubleSupplier target =
          preprodTarget != null
              ? () -> preprodTarget
              : () -> {
                ChannelsService known = channels.get();
                return known == null ? FleetService.DEFAULT_TARGET : known.preprodTarget();
              };
      FleetService fleet = new FleetService(database, trustReportTimes, clock, target, staleAfter);
      Optional.ofNullable(remote)
          .map(url -> channels(url, clock, fleet, new ActiveCounts(database, clock, staleAfter)))
          .ifPresent(channels::set);
      Javalin app =
          FleetServer.create(
              new FleetServer.Deps(
                  fleet,
                  new ReportValidator(clock),
                  writer,
                  clock,
                  Optional.ofNullable(ingestToken),
                  Optional.ofNullable(adminToken),
                  Optional.ofNullable(channels.get()),
                  new FleetServer.Access(
                      Optional.ofNullable(readToken),
                      requireSignatures,
                      trustReportTimes ? Optional.empty() : Optional.of(maxReportAge)),
                  new FleetServer.Limits(
                      uploadsPerAddress,
                      Math.max(uploadsPerAddress, FleetServer.Limits.DEFAULT.uploadsOverall()),
                      FleetServer.Limits.DEFAULT.idleTimeout(),
                      FleetServer.Limits.DEFAULT.minUploadBytesPerSecond()),
                  new FleetMetrics(fleet, () -> FleetMetrics.databaseBytes(db))),
              https);
      ChannelsService policySource = channels.get();
      FleetLockHandler.install(
          app,
          new SlotService(
              new SlotStore(database),
              policySource == null ? Optional::empty : policySource::updateLimits,
              clock),
          Optional.ofNullable(ingestToken),
          clock);
      try {
        guards =
            Safety.create(
                safety, remote, db, database, trustReportTimes, fleet, clock, System.getenv());
      } catch (IllegalArgumentException | dev.sluice.core.git.GitException e) {
        throw new ParameterException(spec.commandLine(), e.getMessage());
      }
      SafetyRoutes.register(app, guards.guard(), Optional.of(guards.notifier()));
      try {
        if (https.isPresent()) {
          app.start();
        } else {
          app.start(bind, port);
        }
      } catch (RuntimeException e) {
        throw new FleetWebException.Listen(
            "cannot listen on " + bind + ":" + port + ": " + rootMessage(e), e);
      }
      String url =
          (https.isPresent() ? "https://" : "http://") + hostForUrl(bind) + ":" + app.port() + "/";
      LOG.info(
          "fleet-web {} listening on {} with database {}{}",
          version(),
          url,
          db,
          remote == null ? "" : ", channels of " + RemoteUrls.redact(remote));
      out.println("fleet-web listening on " + url);
      out.flush();
      guards.guard().ifPresent(guard -> guard.start(safety.guardInterval));
      try {
        stopper.awaitStop(app);
      } finally {
        app.stop();
      }
    } finally {
      if (guards != null) {
        guards.close();
      }
      stopper.finished();
    }
    return OK;
  }

  private ChannelsService channels(
      String url, Clock clock, FleetService fleet, ActiveCounts counts) {
    Path cache = db.toAbsolutePath().resolveSibling(db.getFileName() + ".remote-cache");
    return new ChannelsService(
        url,
        cache,
        ChannelStatusReader.withDefaultChannels(),
        clock,
        soak,
        fleet::promotionHealth,
        counts,
        System::nanoTime,
        ChannelsService.DEFAULT_CACHE_FOR);
  }

  /** Whether {@code bind} names only this machine (a name that does not resolve is not). */
  static boolean isLoopback(String bind) {
    try {
      for (InetAddress address : InetAddress.getAllByName(bind)) {
        if (!address.isLoopbackAddress()) {
          return false;
        }
      }
      return true;
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static String hostForUrl(String bind) {
    return bind.contains(":") ? "[" + bind + "]" : bind;
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
  }

  static int exitCodeOf(Throwable e) {
    if (e instanceof ParameterException) {
      return USAGE;
    }
    if (e instanceof FleetWebException.Store) {
      return STORE;
    }
    if (e instanceof FleetWebException.Listen) {
      return LISTEN;
    }
    return UNEXPECTED;
  }

  static String version() {
    return ManifestVersion.version(FleetWebCommand.class);
  }
}
