package dev.sluice.web.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.sluice.core.json.Json;
import dev.sluice.web.channels.ChannelsService;
import dev.sluice.web.fleet.FleetService;
import dev.sluice.web.fleet.ReportValidator;
import dev.sluice.web.fleet.ReportWriter;
import dev.sluice.web.fleet.StoreException;
import dev.sluice.web.metrics.FleetMetrics;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpStatus;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The fleet dashboard's HTTP face: the JSON API and the static dashboard page. */
public final class FleetServer {

  /**
   * Only the page's own script, style and API: no inline script, no third-party anything, so a
   * node's text can never run in an operator's browser even if it slipped past the escaping.
   */
  static final String CONTENT_SECURITY_POLICY =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
          + "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  private static final Logger LOG = LoggerFactory.getLogger(FleetServer.class);

  private static final Map<String, String> SECURITY_HEADERS =
      Map.of(
          "Content-Security-Policy", CONTENT_SECURITY_POLICY,
          "X-Content-Type-Options", "nosniff",
          "Referrer-Policy", "no-referrer",
          "X-Frame-Options", "DENY");

  private FleetServer() {}

  /**
   * What the server needs.
   *
   * @param clock the dashboard's clock (receive times, staleness)
   * @param ingestToken if present, {@code POST /api/reports} requires it as a bearer token
   * @param adminToken if present, enables the admin endpoints behind it (403 otherwise)
   * @param channels the remote's channel status, absent without {@code --remote}
   */
  public record Deps(
      FleetService fleet,
      ReportValidator validator,
      ReportWriter writer,
      Clock clock,
      Optional<String> ingestToken,
      Optional<String> adminToken,
      Optional<ChannelsService> channels,
      Access access,
      Limits limits,
      FleetMetrics metrics) {

    /** A server with the default access rules: anyone may read, unsigned reports are taken. */
    public Deps(
        FleetService fleet,
        ReportValidator validator,
        ReportWriter writer,
        Clock clock,
        Optional<String> ingestToken,
        Optional<String> adminToken,
        Optional<ChannelsService> channels) {
      this(
          fleet,
          validator,
          writer,
          clock,
          ingestToken,
          adminToken,
          channels,
          Access.OPEN,
          Limits.DEFAULT,
          new FleetMetrics(fleet, () -> 0));
    }

    public Deps {
      Objects.requireNonNull(access, "access");
      Objects.requireNonNull(limits, "limits");
      Objects.requireNonNull(metrics, "metrics");
      Objects.requireNonNull(fleet, "fleet");
      Objects.requireNonNull(validator, "validator");
      Objects.requireNonNull(writer, "writer");
      Objects.requireNonNull(clock, "clock");
      Objects.requireNonNull(ingestToken, "ingestToken");
      Objects.requireNonNull(adminToken, "adminToken");
      Objects.requireNonNull(channels, "channels");
    }
  }

  /**
   * Who may do what beyond the ingest and admin tokens.
   *
   * @param readToken if present, the dashboard and every GET API need it (bearer, or HTTP basic
   *     with any user name and the token as password, for browsers)
   * @param requireSignatures refuse unsigned reports even from node ids without a pinned key
   * @param maxReportAge refuse a report whose {@code sentAt} is older than this on the dashboard's
   *     clock; empty only for simulations whose clock is not the dashboard's
   */
  public record Access(
      Optional<String> readToken, boolean requireSignatures, Optional<Duration> maxReportAge) {
    /** How old a report may be when it arrives, by default. */
    public static final Duration DEFAULT_MAX_REPORT_AGE = Duration.ofHours(1);

    public static final Access OPEN = new Access(Optional.empty(), false);

    public Access {
      Objects.requireNonNull(readToken, "readToken");
      Objects.requireNonNull(maxReportAge, "maxReportAge");
      if (maxReportAge.isPresent()
          && (maxReportAge.get().isNegative() || maxReportAge.get().isZero())) {
        throw new IllegalArgumentException("the longest report age must be positive");
      }
    }

    /** With the default longest report age. */
    public Access(Optional<String> readToken, boolean requireSignatures) {
      this(readToken, requireSignatures, Optional.of(DEFAULT_MAX_REPORT_AGE));
    }
  }

  /**
   * What one client, or all of them, can hold of the server.
   *
   * @param uploadsPerAddress report bodies read at once from one client address
   * @param uploadsOverall report bodies read at once in all
   * @param idleTimeout how long a connection, or a read or write on it, may stall
   * @param minUploadBytesPerSecond a body arriving slower than this is cut off
   */
  public record Limits(
      int uploadsPerAddress,
      int uploadsOverall,
      Duration idleTimeout,
      long minUploadBytesPerSecond) {
    /**
     * Defaults: a NAT'd site of nodes may post a few reports at once; 64 bodies in flight are far
     * more than the writer needs to batch 2,000 reports a second; a 64 KiB body takes at most 16 s.
     */
    public static final Limits DEFAULT = new Limits(8, 64, Duration.ofSeconds(10), 4096);

    public Limits {
      if (uploadsPerAddress < 1 || uploadsOverall < uploadsPerAddress) {
        throw new IllegalArgumentException("need 1 <= uploadsPerAddress <= uploadsOverall");
      }
      if (idleTimeout.isNegative() || idleTimeout.isZero() || minUploadBytesPerSecond < 0) {
        throw new IllegalArgumentException("idle timeout and upload rate must be positive");
      }
    }
  }

  /**
   * Where and how to serve HTTPS instead of plain HTTP.
   *
   * @param keys the certificate chain and key
   * @param host the address to listen on
   * @param port the port, 0 for any free one
   */
  public record Https(TlsKeys keys, String host, int port) {
    public Https {
      Objects.requireNonNull(keys, "keys");
      Objects.requireNonNull(host, "host");
    }
  }

  /** An unstarted plain-HTTP server; the caller starts it on an address and port. */
  public static Javalin create(Deps deps) {
    return create(deps, Optional.empty());
  }

  /**
   * An unstarted server. With {@code https} it listens only with TLS, on the address and port given
   * there (start it with {@code start()}); without, the caller starts it on a port.
   */
  public static Javalin create(Deps deps, Optional<Https> https) {
    ObjectMapper mapper =
        Json.newMapper().disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS);
    Javalin app =
        Javalin.create(
            config -> {
              config.showJavalinBanner = false;
              config.jetty.modifyHttpConfiguration(
                  http -> {
                    http.setSendServerVersion(false);
                    http.setIdleTimeout(deps.limits().idleTimeout().toMillis());
                    http.setMinRequestDataRate(deps.limits().minUploadBytesPerSecond());
                  });
              https.ifPresent(
                  tls ->
                      config.jetty.addConnector(
                          (server, http) -> httpsConnector(server, http, tls, deps.limits())));
              config.jsonMapper(new JavalinJackson(mapper, false));
              config.http.maxRequestSize = ReportValidator.MAX_BODY_BYTES;
              config.staticFiles.add(
                  files -> {
                    files.hostedPath = "/";
                    files.directory = "/web";
                    files.location = Location.CLASSPATH;
                    files.headers = SECURITY_HEADERS;
                  });
            });
    app.events(
        events ->
            events.serverStarting(
                () -> {
                  for (Connector connector : app.jettyServer().server().getConnectors()) {
                    if (connector instanceof AbstractConnector network) {
                      network.setIdleTimeout(deps.limits().idleTimeout().toMillis());
                    }
                  }
                }));
    FleetMetrics metrics = deps.metrics();
    BearerToken readToken = new BearerToken(deps.access().readToken(), "fleet-web");
    app.before(
        ctx -> {
          ctx.attribute(STARTED, System.nanoTime());
          SECURITY_HEADERS.forEach(ctx::header);
          if (readToken.configured()
              && ctx.method() == HandlerType.GET
              && !UNPROTECTED.contains(ctx.path())) {
            readToken.requireBearerOrBasic(ctx);
          }
        });
    app.after(
        ctx -> {
          Long started = ctx.attribute(STARTED);
          if (started != null) {
            metrics.request(
                ctx.method().name(),
                route(ctx),
                ctx.statusCode(),
                (System.nanoTime() - started) / 1e9);
          }
        });

    ReportsHandler reports =
        new ReportsHandler(
            deps.validator(),
            deps.writer(),
            new BearerToken(deps.ingestToken(), "report ingest"),
            deps.clock(),
            deps.access().requireSignatures(),
            deps.access().maxReportAge(),
            new UploadLimiter(deps.limits().uploadsPerAddress(), deps.limits().uploadsOverall()),
            metrics);
    FleetHandlers fleet =
        new FleetHandlers(deps.fleet(), new BearerToken(deps.adminToken(), "admin"));

    app.post("/api/reports", reports::post);
    app.get("/metrics", ctx -> ctx.contentType(FleetMetrics.CONTENT_TYPE).result(metrics.scrape()));
    app.get("/healthz", ctx -> ctx.contentType("text/plain").result("ok\n"));
    app.get(
        "/readyz",
        ctx -> {
          Optional<String> problem = deps.fleet().unready();
          if (deps.writer().running() && problem.isEmpty()) {
            ctx.contentType("text/plain").result("ready\n");
          } else {
            ctx.status(HttpStatus.SERVICE_UNAVAILABLE)
                .contentType("text/plain")
                .result("not ready: " + problem.orElse("the report writer has stopped") + "\n");
          }
        });
    app.get("/api/fleet", fleet::fleet);
    app.get("/api/nodes", fleet::nodes);
    app.get("/api/nodes/{id}", fleet::node);
    app.delete("/api/nodes/{id}", fleet::forget);
    app.delete("/api/nodes/{id}/key", fleet::forgetKey);
    app.get("/api/promotion-health", fleet::promotionHealth);
    app.get("/api/adoption", fleet::adoption);
    app.get(
        "/api/channels",
        ctx ->
            ctx.json(
                deps.channels()
                    .orElseThrow(
                        () ->
                            new HttpProblem(
                                HttpStatus.NOT_FOUND,
                                "channel status is off: start fleet-web with --remote URL"))
                    .status()));

    app.exception(HttpProblem.class, (e, ctx) -> error(ctx, e.status(), e.getMessage()));
    app.exception(
        IllegalArgumentException.class,
        (e, ctx) -> error(ctx, HttpStatus.BAD_REQUEST, e.getMessage()));
    app.exception(
        StoreException.class,
        (e, ctx) -> {
          LOG.error("database error on {} {}: {}", ctx.method(), ctx.path(), e.getMessage());
          error(ctx, HttpStatus.SERVICE_UNAVAILABLE, "database error: " + e.getMessage());
        });
    app.error(
        HttpStatus.NOT_FOUND,
        ctx -> {
          String type = ctx.res().getContentType();
          if (ctx.path().startsWith("/api/") && (type == null || !type.contains("json"))) {
            error(ctx, HttpStatus.NOT_FOUND, "no such endpoint: " + ctx.path());
          }
        });
    return app;
  }

  /**
   * A TLS connector with the same limits as the plain one. The host name a client asks for is not
   * checked against the certificate (nodes may use an address the certificate does not name; they
   * check the certificate themselves).
   */
  private static Connector httpsConnector(
      Server server, HttpConfiguration http, Https tls, Limits limits) {
    SslContextFactory.Server ssl = new SslContextFactory.Server();
    ssl.setKeyStore(tls.keys().keyStore());
    ssl.setKeyStorePassword(tls.keys().password());
    ssl.setCertAlias(TlsKeys.ALIAS);
    HttpConfiguration secure = new HttpConfiguration(http);
    secure.setSendServerVersion(false);
    secure.setIdleTimeout(limits.idleTimeout().toMillis());
    secure.setMinRequestDataRate(limits.minUploadBytesPerSecond());
    secure.setSecureScheme("https");
    secure.addCustomizer(new SecureRequestCustomizer(false));
    ServerConnector connector =
        new ServerConnector(
            server,
            new SslConnectionFactory(ssl, HttpVersion.HTTP_1_1.asString()),
            new HttpConnectionFactory(secure));
    connector.setHost(tls.host());
    connector.setPort(tls.port());
    connector.setIdleTimeout(limits.idleTimeout().toMillis());
    return connector;
  }

  private static final String STARTED = "fleet-web.started";

  /** What a load balancer or a prober may ask without the read token. */
  private static final Set<String> UNPROTECTED = Set.of("/healthz", "/readyz");

  /** The route a request matched, bounded for metric labels (static files and misses collapse). */
  private static String route(Context ctx) {
    String path = ctx.endpointHandlerPath();
    return path == null || path.isEmpty() || path.equals("*") ? "other" : path;
  }

  private static void error(Context ctx, HttpStatus status, String message) {
    ctx.status(status).json(new ErrorBody(message));
  }
}
