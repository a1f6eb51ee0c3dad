package dev.sluice.web.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends each event to every webhook from one thread: a bounded queue (when it is full the newest
 * event is dropped and counted, never the caller blocked), retries with exponential backoff, and
 * the last deliveries kept for the dashboard.
 */
public final class WebhookNotifier implements Notifier, AutoCloseable {

  /** Events waiting at most; more are dropped and counted. */
  public static final int DEFAULT_QUEUE = 1000;

  /** Deliveries the dashboard shows. */
  public static final int KEPT = 50;

  private static final Logger LOG = LoggerFactory.getLogger(WebhookNotifier.class);
  private static final ObjectMapper MAPPER = JsonMapper.builder().build();

  /**
   * How hard to try.
   *
   * @param attempts tries per webhook and event, at least 1
   * @param firstBackoff the wait after the first failure; doubled after each further one
   * @param timeout how long one request may take
   */
  public record Retry(int attempts, Duration firstBackoff, Duration timeout) {
    public static final Retry DEFAULT = new Retry(5, Duration.ofSeconds(2), Duration.ofSeconds(10));

    public Retry {
      if (attempts < 1 || firstBackoff.isNegative() || timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("need at least one attempt and a positive timeout");
      }
    }
  }

  /**
   * One event's delivery to one webhook, as {@code GET /api/notifications} shows it.
   *
   * @param outcome {@code delivered}, {@code failed} (gave up), or {@code dropped} (queue full)
   * @param status the last HTTP status, 0 when none came back
   * @param error why the last attempt failed, null when it did not
   */
  public record Delivery(
      String kind,
      String channel,
      String title,
      Instant at,
      String webhook,
      String outcome,
      int attempts,
      int status,
      String error,
      Instant finishedAt) {}

  /** What {@code GET /api/notifications} returns. */
  public record Status(
      List<String> webhooks, int queued, int capacity, long dropped, List<Delivery> deliveries) {}

  private final List<Webhook> webhooks;
  private final Retry retry;
  private final Clock clock;
  private final int capacity;
  private final BlockingQueue<FleetEvent> queue;
  private final Deque<Delivery> kept = new ArrayDeque<>();
  private final HttpClient http;
  private final Thread thread;
  private volatile boolean running = true;
  private long dropped;

  public WebhookNotifier(List<Webhook> webhooks, Retry retry, int capacity, Clock clock) {
    this.webhooks = List.copyOf(webhooks);
    this.retry = Objects.requireNonNull(retry, "retry");
    this.clock = Objects.requireNonNull(clock, "clock");
    if (capacity < 1) {
      throw new IllegalArgumentException("the queue needs room for one event");
    }
    this.capacity = capacity;
    this.queue = new LinkedBlockingQueue<>(capacity);
    this.http = HttpClient.newBuilder().connectTimeout(retry.timeout()).build();
    this.thread = new Thread(this::loop, "fleet-webhooks");
    this.thread.setDaemon(true);
    this.thread.start();
  }

  @Override
  public void publish(FleetEvent event) {
    if (webhooks.isEmpty()) {
      return;
    }
    LOG.info("notify {}: {}", event.kind(), event.title());
    if (!queue.offer(event)) {
      synchronized (kept) {
        dropped++;
      }
      LOG.warn("webhook queue full ({}): dropped {} {}", capacity, event.kind(), event.title());
      for (Webhook webhook : webhooks) {
        keep(
            new Delivery(
                event.kind(),
                event.channel(),
                event.title(),
                event.at(),
                webhook.shown(),
                "dropped",
                0,
                0,
                "queue full",
                clock.instant()));
      }
    }
  }

  /** The webhooks, the queue and the last deliveries, newest first. */
  public Status status() {
    synchronized (kept) {
      return new Status(
          webhooks.stream().map(Webhook::toString).toList(),
          queue.size(),
          capacity,
          dropped,
          List.copyOf(kept));
    }
  }

  private void keep(Delivery delivery) {
    synchronized (kept) {
      kept.addFirst(delivery);
      while (kept.size() > KEPT) {
        kept.removeLast();
      }
    }
  }

  private void loop() {
    while (running) {
      FleetEvent event;
      try {
        event = queue.poll(200, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        return;
      }
      if (event == null) {
        continue;
      }
      for (Webhook webhook : webhooks) {
        try {
          keep(deliver(event, webhook));
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  private Delivery deliver(FleetEvent event, Webhook webhook) throws InterruptedException {
    byte[] body = body(event, webhook.format());
    Duration backoff = retry.firstBackoff();
    int status = 0;
    String error = null;
    int attempt = 0;
    while (attempt < retry.attempts()) {
      attempt++;
      try {
        HttpRequest request =
            HttpRequest.newBuilder(webhook.url())
                .timeout(retry.timeout())
                .header("Content-Type", "application/json")
                .header("User-Agent", "sluice-fleet-web")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
        status = response.statusCode();
        if (status >= 200 && status < 300) {
          return delivery(event, webhook, "delivered", attempt, status, null);
        }
        error = "HTTP " + status;
        if (status >= 400 && status < 500 && status != 408 && status != 429) {
          break; // the receiver refuses this body: trying again will not help
        }
      } catch (IOException e) {
        status = 0;
        error =
            e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
      }
      if (attempt < retry.attempts()) {
        Thread.sleep(backoff.toMillis());
        backoff = backoff.multipliedBy(2);
      }
    }
    LOG.warn(
        "webhook {}: gave up on {} after {} attempts: {}", webhook, event.kind(), attempt, error);
    return delivery(event, webhook, "failed", attempt, status, error);
  }

  private Delivery delivery(
      FleetEvent event, Webhook webhook, String outcome, int attempts, int status, String error) {
    return new Delivery(
        event.kind(),
        event.channel(),
        event.title(),
        event.at(),
        webhook.shown(),
        outcome,
        attempts,
        status,
        error,
        clock.instant());
  }

  /** The request body: the event as JSON, or a Slack-compatible {@code {"text": ...}}. */
  static byte[] body(FleetEvent event, Webhook.Format format) {
    ObjectNode root = MAPPER.createObjectNode();
    if (format == Webhook.Format.SLACK) {
      StringBuilder text = new StringBuilder("*Sluice*: ").append(event.title());
      for (Map.Entry<String, String> detail : event.details().entrySet()) {
        text.append("\n• ").append(detail.getKey()).append(": ").append(detail.getValue());
      }
      root.put("text", text.toString());
    } else {
      root.put("source", "sluice-fleet-web");
      root.put("kind", event.kind());
      root.put("channel", event.channel());
      root.put("title", event.title());
      root.put("at", event.at().toString());
      ObjectNode details = root.putObject("details");
      event.details().forEach(details::put);
    }
    try {
      return MAPPER.writeValueAsBytes(root);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write a webhook body", e);
    }
  }

  /** Stops the sender; what is still queued is not sent. */
  @Override
  public void close() {
    running = false;
    thread.interrupt();
    try {
      thread.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** For tests: the deliveries kept, oldest first. */
  List<Delivery> deliveries() {
    synchronized (kept) {
      List<Delivery> list = new ArrayList<>(kept);
      java.util.Collections.reverse(list);
      return list;
    }
  }
}
