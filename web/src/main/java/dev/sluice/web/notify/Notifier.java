package dev.sluice.web.notify;

/** Where fleet-web sends the changes it notices. */
@FunctionalInterface
public interface Notifier {

  /** Sends nowhere. */
  Notifier NONE = event -> {};

  /** Queues the event for delivery; never blocks and never throws for delivery trouble. */
  void publish(FleetEvent event);
}
