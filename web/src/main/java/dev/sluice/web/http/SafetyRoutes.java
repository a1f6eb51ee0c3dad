package dev.sluice.web.http;

import dev.sluice.web.guard.GuardService;
import dev.sluice.web.notify.WebhookNotifier;
import io.javalin.Javalin;
import io.javalin.http.HttpStatus;
import java.util.Optional;

/** {@code GET /api/guard} and {@code GET /api/notifications}, added to a server from create. */
public final class SafetyRoutes {

  private SafetyRoutes() {}

  /** Adds the routes to an unstarted server (the read token applies to them like to any GET). */
  public static void register(
      Javalin app, Optional<GuardService> guard, Optional<WebhookNotifier> notifier) {
    app.get(
        "/api/guard",
        ctx ->
            ctx.json(
                guard
                    .orElseThrow(
                        () ->
                            new HttpProblem(
                                HttpStatus.NOT_FOUND,
                                "the guard is off: start fleet-web with --remote URL"))
                    .status()));
    app.get(
        "/api/notifications",
        ctx ->
            ctx.json(
                notifier
                    .map(WebhookNotifier::status)
                    .orElseGet(
                        () ->
                            new WebhookNotifier.Status(
                                java.util.List.of(), 0, 0, 0, java.util.List.of()))));
  }
}
