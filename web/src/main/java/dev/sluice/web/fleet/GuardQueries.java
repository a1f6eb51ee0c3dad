package dev.sluice.web.fleet;

import dev.sluice.core.guard.Observation;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the stored reports say about a channel's target, for the channel's guard: each node's latest
 * report that ran the target or aimed at it, classified by core's {@link Observation#classify}.
 */
public final class GuardQueries {

  private final FleetDatabase database;
  private final boolean reportTimes;

  /**
   * @param reportTimes judge by when runs finished (the reports' own times) instead of when the
   *     reports arrived, as {@code --trust-report-times} asks for simulations
   */
  public GuardQueries(FleetDatabase database, boolean reportTimes) {
    this.database = Objects.requireNonNull(database, "database");
    this.reportTimes = reportTimes;
  }

  /** The nodes of {@code channel} whose latest report, received from {@code from} on, names it. */
  public List<Observation> observations(String channel, String target, Instant from) {
    String time = reportTimes ? "finished_at" : "received_at";
    String sql =
        """
        SELECT node, action, reason_code, reason_text, message, current_commit, target_commit, %s
        FROM nodes
        WHERE channel = ? AND (target_commit = ? OR current_commit = ?) AND %s >= ?
        """
            .formatted(time, time);
    return database.read(
        connection -> {
          List<Observation> observations = new ArrayList<>();
          try (PreparedStatement s = connection.prepareStatement(sql)) {
            s.setString(1, channel);
            s.setString(2, target);
            s.setString(3, target);
            s.setLong(4, from.toEpochMilli());
            try (ResultSet rows = s.executeQuery()) {
              while (rows.next()) {
                Optional<Observation.Outcome> outcome =
                    Observation.classify(
                        rows.getString("action"),
                        rows.getString("reason_code"),
                        rows.getString("current_commit"),
                        rows.getString("target_commit"),
                        target);
                if (outcome.isEmpty()) {
                  continue;
                }
                String reason = null;
                if (outcome.get() == Observation.Outcome.FAILED) {
                  String code = rows.getString("reason_code");
                  String text = rows.getString("reason_text");
                  reason =
                      code == null
                          ? rows.getString("message")
                          : code + ": " + (text == null ? rows.getString("message") : text);
                }
                observations.add(
                    new Observation(
                        rows.getString("node"),
                        outcome.get(),
                        reason,
                        Instant.ofEpochMilli(rows.getLong(8))));
              }
            }
          }
          return observations;
        });
  }
}
