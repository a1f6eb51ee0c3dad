package dev.sluice.web.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.json.Json;
import dev.sluice.core.report.Action;
import dev.sluice.core.report.NodeReport;
import dev.sluice.core.report.ReportSignature;
import dev.sluice.web.fleet.FleetDatabase;
import dev.sluice.web.fleet.FleetService;
import dev.sluice.web.fleet.ReceivedReport;
import dev.sluice.web.fleet.ReportStore;
import dev.sluice.web.fleet.ReportValidator;
import dev.sluice.web.fleet.ReportWriter;
import dev.sluice.web.http.FleetServer;
import dev.sluice.web.metrics.FleetMetrics;
import io.javalin.Javalin;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * Measures what issue 6 asks of the dashboard: ingest rate over real HTTP (every report signed by
 * its own node's key, so the server checks one signature and pins one key per report), and {@code
 * GET /api/fleet} latency with 100,000 nodes stored. Not a test (timings on a shared machine vary);
 * run it with {@code scripts/bench-fleet-web}.
 *
 * <p>Arguments: {@code [--nodes N] [--concurrency C] [--url BASE] [--keep]}. Without {@code --url}
 * it starts the server in this JVM on a fresh database in a temporary directory; with it, it loads
 * an already running fleet-web (for example {@code scripts/fleet-web --db /tmp/b.db --port 8099}).
 */
public final class FleetBenchmark {

  private static final PrintStream OUT = System.out;

  private FleetBenchmark() {}

  public static void main(String[] args) throws Exception {
    int nodes = 100_000;
    int concurrency = 32;
    String url = null;
    boolean keep = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--nodes" -> nodes = Integer.parseInt(args[++i]);
        case "--concurrency" -> concurrency = Integer.parseInt(args[++i]);
        case "--url" -> url = args[++i].replaceAll("/+$", "");
        case "--keep" -> keep = true;
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    Path dir = Files.createTempDirectory("fleet-bench");
    FleetDatabase database = null;
    ReportWriter writer = null;
    Javalin app = null;
    FleetService service = null;
    try {
      if (url == null) {
        Clock clock = Clock.systemUTC();
        database = FleetDatabase.open(dir.resolve("fleet.db"));
        writer = new ReportWriter(new ReportStore(database), clock);
        service = new FleetService(database, clock);
        app =
            FleetServer.create(
                    new FleetServer.Deps(
                        service,
                        new ReportValidator(clock),
                        writer,
                        clock,
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        FleetServer.Access.OPEN,
                        // Every sender shares this machine's address, where a fleet has one each.
                        new FleetServer.Limits(
                            64,
                            64,
                            FleetServer.Limits.DEFAULT.idleTimeout(),
                            FleetServer.Limits.DEFAULT.minUploadBytesPerSecond()),
                        new FleetMetrics(service, () -> 0)))
                .start("127.0.0.1", 0);
        url = "http://127.0.0.1:" + app.port();
      }
      run(url, nodes, concurrency, service);
    } finally {
      if (app != null) {
        app.stop();
      }
      if (writer != null) {
        writer.close();
      }
      if (database != null) {
        database.close();
      }
      if (keep) {
        OUT.println("database kept in " + dir.resolve("fleet.db"));
      } else {
        try (var files = Files.walk(dir)) {
          files.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
        }
      }
    }
  }

  private static void run(String url, int nodes, int concurrency, FleetService service)
      throws Exception {
    OUT.printf(
        "fleet-web benchmark: %d nodes, %d concurrent senders, %s%n", nodes, concurrency, url);
    OUT.printf(
        "machine: %d cores, java %s%n",
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
    long signing = System.nanoTime();
    List<List<Signed>> runs = reports(nodes);
    List<Signed> bodies = runs.get(1);
    OUT.printf(
        "made %d reports, each signed by its own node's Ed25519 key, in %.1f s (not timed)%n",
        nodes, (System.nanoTime() - signing) / 1e9);
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    if (service != null) {
      inProcess(bodies);
    }

    // Warm up the JIT and connections with the previous run of a slice of the nodes (lower
    // sequence numbers, so that the timed run's reports are new, not replays).
    int warm = Math.min(5_000, nodes);
    ingest(url, runs.get(0).subList(0, warm), concurrency);

    long start = System.nanoTime();
    int failed = ingest(url, bodies, concurrency);
    double seconds = (System.nanoTime() - start) / 1e9;
    OUT.printf(
        "ingest: %d reports in %.2f s = %.0f reports/s (%d failed)%n",
        bodies.size(), seconds, bodies.size() / seconds, failed);

    latency(http, url + "/api/fleet", "GET /api/fleet", 300);
    latency(http, url + "/api/nodes?q=farm-7&limit=50", "GET /api/nodes?q=farm-7", 100);
    latency(
        http, url + "/api/nodes?channel=preprod&offset=5000&limit=50", "GET /api/nodes page", 100);
    latency(
        http,
        url
            + "/api/promotion-health?commit="
            + "b".repeat(40)
            + "&releasedAt="
            + Instant.now().minusSeconds(3600),
        "GET /api/promotion-health",
        300);
    if (service != null) {
      long[] times = new long[300];
      for (int i = 0; i < times.length; i++) {
        long t = System.nanoTime();
        service.fleet();
        times[i] = System.nanoTime() - t;
      }
      print("FleetService.fleet() in-process", times);
    }
  }

  /** One node's report as sent: the body, its signature and the node's public key. */
  private record Signed(byte[] body, String signature, String publicKey) {}

  /** A fresh node key, as Bouncy Castle's raw Ed25519 secret. */
  private static byte[] nodeKey(SecureRandom random) {
    byte[] secret = new byte[Ed25519.SECRET_KEY_SIZE];
    Ed25519.generatePrivateKey(random, secret);
    return secret;
  }

  /**
   * Signs like a node does, with Bouncy Castle's Ed25519 only because the JDK 17 provider would
   * take minutes to make 100,000 keys and signatures; the bytes are the same.
   */
  private static Signed signed(byte[] body, byte[] secret) {
    byte[] pub = new byte[Ed25519.PUBLIC_KEY_SIZE];
    Ed25519.generatePublicKey(secret, 0, pub, 0);
    byte[] message = ReportSignature.signedBytes(body);
    byte[] signature = new byte[Ed25519.SIGNATURE_SIZE];
    Ed25519.sign(secret, 0, message, 0, message.length, signature, 0);
    byte[] x509 =
        HexFormat.of().parseHex("302a300506032b6570032100" + HexFormat.of().formatHex(pub));
    return new Signed(
        body,
        Base64.getEncoder().encodeToString(signature),
        Base64.getEncoder().encodeToString(x509));
  }

  /** The parts of ingest without HTTP: validation alone, and the store alone on its own file. */
  private static void inProcess(List<Signed> signed) throws IOException {
    List<byte[]> bodies = signed.stream().map(Signed::body).toList();
    long verifying = System.nanoTime();
    for (Signed s : signed.subList(0, Math.min(2_000, signed.size()))) {
      if (!ReportSignature.verify(
          ReportSignature.decodePublicKey(s.publicKey()), s.body(), s.signature())) {
        throw new IllegalStateException("a benchmark signature does not verify");
      }
    }
    OUT.printf(
        "in-process signature check with the JDK provider: %.0f reports/s on one thread%n",
        Math.min(2_000, signed.size()) / ((System.nanoTime() - verifying) / 1e9));
    ReportValidator validator = new ReportValidator(Clock.systemUTC());
    List<ReceivedReport> valid = new ArrayList<>(bodies.size());
    for (int round = 0; round < 2; round++) {
      valid.clear();
      long start = System.nanoTime();
      for (byte[] body : bodies) {
        valid.add(new ReceivedReport(validator.validate(body), Instant.now()));
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      OUT.printf("in-process validation: %.0f reports/s%n", bodies.size() / seconds);
    }
    Path dir = Files.createTempDirectory("fleet-bench-store");
    try (FleetDatabase database = FleetDatabase.open(dir.resolve("store.db"))) {
      ReportStore store = new ReportStore(database);
      long start = System.nanoTime();
      for (int i = 0; i < valid.size(); i += 100) {
        store.save(valid.subList(i, Math.min(valid.size(), i + 100)), Instant.now());
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      OUT.printf("in-process store, batches of 100: %.0f reports/s%n", valid.size() / seconds);
    } finally {
      try (var files = Files.walk(dir)) {
        files.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
      }
    }
  }

  /**
   * Posts every body once from {@code concurrency} threads, each with its own keep-alive connection
   * (plain {@link HttpURLConnection}: the lightest client in the JDK, so that the client steals as
   * little CPU from the server as possible on a small machine).
   */
  private static int ingest(String url, List<Signed> bodies, int concurrency)
      throws InterruptedException {
    AtomicInteger next = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    URL target = toUrl(url + "/api/reports");
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < concurrency; t++) {
      Thread thread =
          new Thread(
              () -> {
                byte[] sink = new byte[4096];
                for (int i = next.getAndIncrement();
                    i < bodies.size();
                    i = next.getAndIncrement()) {
                  try {
                    HttpURLConnection connection = (HttpURLConnection) target.openConnection();
                    connection.setRequestMethod("POST");
                    connection.setDoOutput(true);
                    Signed report = bodies.get(i);
                    connection.setRequestProperty("Content-Type", "application/json");
                    connection.setRequestProperty(
                        ReportSignature.SIGNATURE_HEADER, report.signature());
                    connection.setRequestProperty(
                        ReportSignature.PUBLIC_KEY_HEADER, report.publicKey());
                    connection.setFixedLengthStreamingMode(report.body().length);
                    try (OutputStream out = connection.getOutputStream()) {
                      out.write(report.body());
                    }
                    int status = connection.getResponseCode();
                    try (InputStream in =
                        status < 400 ? connection.getInputStream() : connection.getErrorStream()) {
                      while (in != null && in.read(sink) >= 0) {
                        // drain so the connection is reused
                      }
                    }
                    if (status != 200) {
                      failed.incrementAndGet();
                    }
                  } catch (IOException e) {
                    failed.incrementAndGet();
                  }
                }
              });
      thread.start();
      threads.add(thread);
    }
    for (Thread thread : threads) {
      thread.join();
    }
    return failed.get();
  }

  private static URL toUrl(String text) {
    try {
      return URI.create(text).toURL();
    } catch (IOException e) {
      throw new IllegalArgumentException(text, e);
    }
  }

  private static void latency(HttpClient http, String url, String name, int rounds)
      throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create(url)).build();
    for (int i = 0; i < 20; i++) {
      http.send(request, HttpResponse.BodyHandlers.discarding());
    }
    long[] times = new long[rounds];
    for (int i = 0; i < rounds; i++) {
      long t = System.nanoTime();
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      times[i] = System.nanoTime() - t;
      if (response.statusCode() != 200) {
        throw new IllegalStateException(name + " answered " + response.statusCode());
      }
    }
    print(name + " over HTTP", times);
  }

  private static void print(String name, long[] nanos) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    OUT.printf(
        "%s: p50 %.1f ms, p99 %.1f ms, max %.1f ms (%d requests)%n",
        name,
        sorted[sorted.length / 2] / 1e6,
        sorted[(int) Math.ceil(sorted.length * 0.99) - 1] / 1e6,
        sorted[sorted.length - 1] / 1e6,
        sorted.length);
  }

  /**
   * A plausible fleet: 7 % preprod, a few versions, some failures, held and silent nodes. Two runs
   * per node, as node-updater sends them (schema 2, numbered, each node's own key): the first for
   * warming up, the second timed.
   */
  private static List<List<Signed>> reports(int nodes) {
    SplittableRandom random = new SplittableRandom(42);
    Instant now = Instant.now();
    String[] commits = {"a".repeat(40), "b".repeat(40), "c".repeat(40), "d".repeat(40)};
    String[] tags = {"v5.0.0", "v5.1.0", "v5.2.0_pre", "v5.1.1"};
    SecureRandom keys = new SecureRandom();
    List<Signed> earlier = new ArrayList<>(nodes);
    List<Signed> bodies = new ArrayList<>(nodes);
    long sequence = now.toEpochMilli();
    for (int n = 0; n < nodes; n++) {
      double ticket = random.nextDouble();
      boolean preprod = ticket < 0.07;
      int v = preprod ? 2 : (random.nextInt(10) < 8 ? 1 : random.nextInt(2) == 0 ? 0 : 3);
      int roll = random.nextInt(1000);
      Action action =
          roll < 5
              ? Action.ROLLED_BACK
              : roll < 7
                  ? Action.FAILED
                  : roll < 30 ? Action.HELD : roll < 100 ? Action.UPDATED : Action.UNCHANGED;
      NodeReport.Reason reason =
          switch (action) {
            case ROLLED_BACK ->
                new NodeReport.Reason("health-check-failed", "health check exited 1");
            case FAILED -> new NodeReport.Reason("restore-failed", "could not restore");
            case HELD -> new NodeReport.Reason("maintenance-window", "outside the window");
            default -> null;
          };
      // Nodes report hourly; 3 % have gone quiet (2 hours to 3 days ago).
      Instant finished =
          random.nextInt(100) < 97
              ? now.minusSeconds(random.nextInt(90 * 60))
              : now.minusSeconds(2 * 3600 + random.nextInt(3 * 86_400));
      NodeReport report =
          new NodeReport(
              new UUID(random.nextLong(), random.nextLong()).toString(),
              preprod ? "preprod" : "stable",
              preprod,
              List.of("farm-" + random.nextInt(200)),
              new NodeReport.Lottery(
                  ticket, 0.07, now.minusSeconds(86_400), now.plusSeconds(86_400), "drawn"),
              new NodeReport.Target(preprod ? "preprod" : "master", commits[v], tags[v]),
              commits[v],
              commits[v],
              tags[v],
              action,
              "run finished: " + action.id(),
              reason,
              null,
              List.of(),
              finished.minusSeconds(3),
              finished);
      byte[] secret = nodeKey(keys);
      earlier.add(signed(posted(report, sequence), secret));
      bodies.add(signed(posted(report, sequence + 1), secret));
    }
    return List.of(earlier, bodies);
  }

  /** A report's body as node-updater posts it: schema, sequence and sending time first. */
  private static byte[] posted(NodeReport report, long sequence) {
    ObjectNode tree = Json.mapper().createObjectNode();
    tree.put(NodeReport.SCHEMA_FIELD, NodeReport.SCHEMA_VERSION);
    tree.put(NodeReport.SEQUENCE_FIELD, sequence);
    tree.put(NodeReport.SENT_AT_FIELD, Instant.now().toString());
    tree.setAll((ObjectNode) Json.mapper().valueToTree(report));
    return Json.write(tree).getBytes(StandardCharsets.UTF_8);
  }
}
