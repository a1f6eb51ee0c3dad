package dev.sluice.web.http;

import dev.sluice.web.fleet.FleetService;
import dev.sluice.web.fleet.NodeQuery;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/** The read-only fleet endpoints and the admin's "forget this node". */
final class FleetHandlers {

  private static final Pattern UUID =
      Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  private final FleetService fleet;
  private final BearerToken admin;

  FleetHandlers(FleetService fleet, BearerToken admin) {
    this.fleet = fleet;
    this.admin = admin;
  }

  void fleet(Context ctx) {
    ctx.json(fleet.fleet());
  }

  void nodes(Context ctx) {
    NodeQuery query =
        new NodeQuery(
            ctx.queryParam("channel"),
            ctx.queryParam("version"),
            ctx.queryParam("action"),
            ctx.queryParam("q"),
            ctx.queryParam("name"),
            ctx.queryParam("after"),
            intParam(ctx, "offset", 0),
            intParam(ctx, "limit", NodeQuery.DEFAULT_LIMIT));
    ctx.json(fleet.nodes(query));
  }

  void node(Context ctx) {
    String id = nodeId(ctx);
    String json =
        fleet
            .report(id)
            .orElseThrow(() -> new HttpProblem(HttpStatus.NOT_FOUND, "no report from node " + id));
    ctx.contentType("application/json").result(json);
  }

  void forget(Context ctx) {
    requireAdmin(ctx);
    String id = nodeId(ctx);
    if (!fleet.forget(id)) {
      throw new HttpProblem(HttpStatus.NOT_FOUND, "no report from node " + id);
    }
    ctx.status(HttpStatus.NO_CONTENT);
  }

  void promotionHealth(Context ctx) {
    String commit = ctx.queryParam("commit");
    if (commit == null || commit.isBlank()) {
      throw new HttpProblem(HttpStatus.BAD_REQUEST, "query parameter 'commit' is required");
    }
    String releasedAt = ctx.queryParam("releasedAt");
    if (releasedAt == null || releasedAt.isBlank()) {
      throw new HttpProblem(
          HttpStatus.BAD_REQUEST,
          "query parameter 'releasedAt' is required: the candidate's release time (ISO-8601)");
    }
    Instant released;
    try {
      released = Instant.parse(releasedAt.trim());
    } catch (DateTimeParseException e) {
      throw new HttpProblem(
          HttpStatus.BAD_REQUEST, "query parameter 'releasedAt' must be an ISO-8601 instant");
    }
    ctx.json(fleet.promotionHealth(commit.trim(), released));
  }

  void forgetKey(Context ctx) {
    requireAdmin(ctx);
    String id = nodeId(ctx);
    if (!fleet.unpin(id)) {
      throw new HttpProblem(HttpStatus.NOT_FOUND, "no key is pinned to node " + id);
    }
    ctx.status(HttpStatus.NO_CONTENT);
  }

  private void requireAdmin(Context ctx) {
    if (!admin.configured()) {
      throw new HttpProblem(
          HttpStatus.FORBIDDEN, "admin endpoints are disabled: start fleet-web with --admin-token");
    }
    admin.require(ctx);
  }

  void adoption(Context ctx) {
    ctx.json(fleet.adoption(intParam(ctx, "days", 30)));
  }

  private static String nodeId(Context ctx) {
    String id = ctx.pathParam("id");
    if (!UUID.matcher(id).matches()) {
      throw new HttpProblem(HttpStatus.BAD_REQUEST, "node id must be a UUID");
    }
    return id;
  }

  private static int intParam(Context ctx, String name, int fallback) {
    String text = ctx.queryParam(name);
    if (text == null || text.isBlank()) {
      return fallback;
    }
    try {
      return Integer.parseInt(text.trim());
    } catch (NumberFormatException e) {
      throw new HttpProblem(
          HttpStatus.BAD_REQUEST, "query parameter '" + name + "' must be a number");
    }
  }
}
