package dev.sluice.web.fleet;

import java.util.List;

/**
 * Version adoption per channel over time: for each UTC day, how many of the nodes that reported
 * that day ended the day on each version.
 */
public record AdoptionHistory(String from, String to, List<Point> points) {
  public AdoptionHistory {
    points = List.copyOf(points);
  }

  /** Nodes of one channel on one version on one day. */
  public record Point(String day, String channel, String version, int nodes) {}
}
