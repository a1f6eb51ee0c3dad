package dev.sluice.web.fleet;

import java.util.List;

/**
 * One page of nodes.
 *
 * @param total nodes matching the filter (ignoring the cursor and paging)
 * @param next the cursor for the following page ({@code after=}), null on the last page
 */
public record NodePage(int total, int offset, int limit, List<NodeView> nodes, String next) {
  public NodePage {
    nodes = List.copyOf(nodes);
  }
}
