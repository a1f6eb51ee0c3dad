package dev.sluice.updater.serve;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** The node's info in the Prometheus text exposition format, written by the Prometheus library. */
public final class NodeMetrics {

  public static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;

  private NodeMetrics() {}

  /** Renders one scrape from the node's current info. */
  public static String render(NodeInfo info) {
    MetricSnapshots.Builder snapshots = MetricSnapshots.builder();
    snapshots.metricSnapshot(
        InfoSnapshot.builder()
            .name("sluice_node")
            .help("The node's channel, release and commit")
            .dataPoint(
                InfoSnapshot.InfoDataPointSnapshot.builder()
                    .labels(
                        Labels.of(
                            "node", orEmpty(info.node()),
                            "channel", orEmpty(info.channel()),
                            "version", orEmpty(info.version()),
                            "commit", orEmpty(info.commit())))
                    .build())
            .build());
    snapshots.metricSnapshot(
        gauge(
            "sluice_node_preprod",
            "1 when the node rides the preprod channel",
            info.preprod() ? 1 : 0));
    if (info.lottery().ticket() != null) {
      snapshots.metricSnapshot(
          gauge(
              "sluice_lottery_ticket",
              "The node's lottery ticket in [0,1)",
              info.lottery().ticket()));
    }
    if (info.lottery().weight() != null) {
      snapshots.metricSnapshot(
          gauge(
              "sluice_lottery_weight",
              "The preprod weight the ticket is compared with",
              info.lottery().weight()));
    }
    if (info.lottery().nextDrawAt() != null) {
      snapshots.metricSnapshot(
          gauge(
              "sluice_lottery_next_draw_timestamp_seconds",
              "When the ticket is redrawn",
              info.lottery().nextDrawAt().getEpochSecond()));
    }
    if (info.lastRun() != null) {
      snapshots.metricSnapshot(
          gauge(
              "sluice_last_run_timestamp_seconds",
              "When the last run finished",
              info.lastRun().finishedAt().toEpochMilli() / 1000.0));
      boolean ok =
          switch (info.lastRun().action()) {
            case "updated", "unchanged", "held" -> true;
            default -> false;
          };
      snapshots.metricSnapshot(
          gauge(
              "sluice_last_run_success",
              "1 when the last run left the node on its target or held by policy",
              ok ? 1 : 0));
    }
    snapshots.metricSnapshot(
        CounterSnapshot.builder()
            .name("sluice_update_failures")
            .help("Failed update attempts (rolled back or not) since the state file was made")
            .dataPoint(
                CounterSnapshot.CounterDataPointSnapshot.builder()
                    .value(info.updateFailures())
                    .build())
            .build());
    CounterSnapshot.Builder runs =
        CounterSnapshot.builder()
            .name("sluice_runs")
            .help("Runs by outcome since the state file was made");
    for (Map.Entry<String, Long> entry : info.runs().entrySet()) {
      runs.dataPoint(
          CounterSnapshot.CounterDataPointSnapshot.builder()
              .labels(Labels.of("action", entry.getKey()))
              .value(entry.getValue())
              .build());
    }
    snapshots.metricSnapshot(runs.build());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      new PrometheusTextFormatWriter(false).write(out, snapshots.build());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private static GaugeSnapshot gauge(String name, String help, double value) {
    return GaugeSnapshot.builder()
        .name(name)
        .help(help)
        .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value(value).build())
        .build();
  }

  private static String orEmpty(String value) {
    return value == null ? "" : value;
  }
}
