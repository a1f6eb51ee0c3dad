package dev.sluice.web.metrics;

import dev.sluice.web.fleet.FleetService;
import dev.sluice.web.fleet.FleetSummary;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * fleet-web's own numbers in the Prometheus text format: reports by result, requests by route and
 * status with their latency, the fleet by channel, version and action, and the database's size. One
 * instance per server (its own registry, no global state).
 */
public final class FleetMetrics {

  public static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Counter reports;
  private final Histogram requests;

  /**
   * @param fleet read at each scrape for the node counts (the summary is cheap: kept counts)
   * @param databaseBytes the size of the SQLite file and its write-ahead log
   */
  public FleetMetrics(FleetService fleet, LongSupplier databaseBytes) {
    reports =
        Counter.builder()
            .name("fleet_web_reports_total")
            .help("Reports posted, by result (stored, out-of-order, or why they were refused)")
            .labelNames("result")
            .register(registry);
    requests =
        Histogram.builder()
            .name("fleet_web_request_duration_seconds")
            .help("HTTP request latency by method, route and status")
            .labelNames("method", "route", "status")
            .classicUpperBounds(0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10)
            .register(registry);
    GaugeWithCallback.builder()
        .name("fleet_web_nodes")
        .help("Nodes by channel, version and last action (from the nodes' latest reports)")
        .labelNames("channel", "version", "action")
        .callback(
            callback -> {
              FleetSummary summary = fleet.fleet();
              for (FleetSummary.VersionCount v : summary.versions()) {
                callback.call(v.nodes(), v.channel(), v.version(), "");
              }
              for (Map.Entry<String, Integer> a : summary.actions().entrySet()) {
                callback.call(a.getValue(), "", "", a.getKey());
              }
              for (FleetSummary.ChannelCount c : summary.channels()) {
                callback.call(c.nodes(), c.channel(), "", "");
              }
            })
        .register(registry);
    GaugeWithCallback.builder()
        .name("fleet_web_database_bytes")
        .help("Size of the SQLite database file and its write-ahead log")
        .callback(callback -> callback.call(databaseBytes.getAsLong()))
        .register(registry);
  }

  /** The size of an SQLite file and its write-ahead log, 0 for what cannot be read. */
  public static long databaseBytes(Path file) {
    return size(file) + size(file.resolveSibling(file.getFileName() + "-wal"));
  }

  private static long size(Path file) {
    try {
      return Files.exists(file) ? Files.size(file) : 0;
    } catch (IOException e) {
      return 0;
    }
  }

  /** Counts one posted report by what became of it. */
  public void report(String result) {
    reports.labelValues(result).inc();
  }

  /** Records one answered request. */
  public void request(String method, String route, int status, double seconds) {
    requests.labelValues(method, route, String.valueOf(status)).observe(seconds);
  }

  /** One scrape. */
  public String scrape() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      new PrometheusTextFormatWriter(false).write(out, registry.scrape());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
