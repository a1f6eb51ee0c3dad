package dev.sluice.web.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.sluice.core.json.Json;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Deliveries to a real HTTP receiver on this machine: bodies, retries, giving up, a full queue. */
class WebhookNotifierTest {

  static final Instant AT = Instant.parse("2026-11-20T12:00:00Z");
  static final WebhookNotifier.Retry FAST =
      new WebhookNotifier.Retry(3, Duration.ofMillis(50), Duration.ofSeconds(5));

  private HttpServer receiver;
  private final List<String> bodies = new CopyOnWriteArrayList<>();
  private final List<String> paths = new CopyOnWriteArrayList<>();
  private final AtomicInteger failuresLeft = new AtomicInteger();
  private volatile int failWith = 500;
  private volatile CountDownLatch hold = new CountDownLatch(0);
  private WebhookNotifier notifier;

  @BeforeEach
  void start() throws IOException {
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext(
        "/",
        exchange -> {
          try {
            hold.await(10, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          String body =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          bodies.add(body);
          paths.add(exchange.getRequestURI().getPath());
          int status = failuresLeft.getAndDecrement() > 0 ? failWith : 204;
          exchange.sendResponseHeaders(status, -1);
          exchange.close();
        });
    receiver.start();
  }

  @AfterEach
  void stop() {
    if (notifier != null) {
      notifier.close();
    }
    receiver.stop(0);
  }

  private String url(String path) {
    return "http://127.0.0.1:" + receiver.getAddress().getPort() + path;
  }

  private static FleetEvent event(String title) {
    return new FleetEvent(
        FleetEvent.GUARD_TRIPPED,
        "preprod",
        title,
        AT,
        Map.of("commit", "9f8e7d6c".repeat(5), "failed", "20"));
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waited 15 s").isLessThan(until);
      Thread.sleep(20);
    }
  }

  @Test
  void aFailedDeliveryIsRetriedWithBackoffUntilTheReceiverTakesIt() throws Exception {
    failuresLeft.set(2);
    notifier =
        new WebhookNotifier(
            List.of(Webhook.parse(url("/hooks/secret-path"), Webhook.Format.JSON)),
            FAST,
            10,
            Clock.systemUTC());

    notifier.publish(event("guard: pause preprod, 20 of 20 nodes failed v5.2.0_pre"));
    await(() -> notifier.status().deliveries().size() == 1);

    WebhookNotifier.Delivery delivery = notifier.status().deliveries().get(0);
    assertThat(delivery.outcome()).isEqualTo("delivered");
    assertThat(delivery.attempts()).isEqualTo(3);
    assertThat(delivery.status()).isEqualTo(204);
    assertThat(delivery.webhook())
        .isEqualTo("http://127.0.0.1:" + receiver.getAddress().getPort() + "/***");
    assertThat(bodies).hasSize(3);
    assertThat(paths).containsOnly("/hooks/secret-path");
    JsonNode body = Json.mapper().readTree(bodies.get(2));
    assertThat(body.get("kind").asText()).isEqualTo("guard-tripped");
    assertThat(body.get("channel").asText()).isEqualTo("preprod");
    assertThat(body.get("title").asText()).startsWith("guard: pause preprod");
    assertThat(body.get("at").asText()).isEqualTo(AT.toString());
    assertThat(body.get("details").get("failed").asText()).isEqualTo("20");
    assertThat(notifier.status().webhooks())
        .containsExactly("json http://127.0.0.1:" + receiver.getAddress().getPort() + "/***");
  }

  @Test
  void aReceiverThatKeepsFailingIsGivenUpOnAndARefusalIsNotRetried() throws Exception {
    failuresLeft.set(100);
    notifier =
        new WebhookNotifier(
            List.of(Webhook.parse(url("/slack"), Webhook.Format.SLACK)),
            FAST,
            10,
            Clock.systemUTC());

    notifier.publish(event("first"));
    await(() -> notifier.status().deliveries().size() == 1);
    assertThat(notifier.status().deliveries().get(0))
        .satisfies(
            d -> {
              assertThat(d.outcome()).isEqualTo("failed");
              assertThat(d.attempts()).isEqualTo(3);
              assertThat(d.error()).isEqualTo("HTTP 500");
            });
    JsonNode slack = Json.mapper().readTree(bodies.get(0));
    assertThat(slack.get("text").asText()).startsWith("*Sluice*: first").contains("• failed: 20");

    failWith = 400;
    notifier.publish(event("second"));
    await(() -> notifier.status().deliveries().size() == 2);
    assertThat(notifier.status().deliveries().get(0).attempts()).isEqualTo(1);
    assertThat(bodies).hasSize(4);
  }

  @Test
  void aFullQueueDropsTheNewestEventAndSaysSo() throws Exception {
    hold = new CountDownLatch(1);
    notifier =
        new WebhookNotifier(
            List.of(Webhook.parse(url("/"), Webhook.Format.JSON)), FAST, 1, Clock.systemUTC());

    notifier.publish(event("one")); // taken by the sender, held at the receiver
    await(() -> notifier.status().queued() == 0);
    notifier.publish(event("two")); // waits in the queue
    notifier.publish(event("three")); // no room
    assertThat(notifier.status().dropped()).isEqualTo(1);
    assertThat(notifier.status().deliveries())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.title()).isEqualTo("three");
              assertThat(d.outcome()).isEqualTo("dropped");
            });
    hold.countDown();
    await(() -> notifier.status().deliveries().size() == 3);
    assertThat(bodies).hasSize(2);
  }

  @Test
  void aWebhookMustBeHttpAndIsShownWithoutItsPath() {
    assertThat(
            Webhook.parse("https://hooks.slack.com/services/T0/B0/XYZ", Webhook.Format.SLACK)
                .shown())
        .isEqualTo("https://hooks.slack.com/***");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> Webhook.parse("ftp://example.com/x", Webhook.Format.JSON))
        .hasMessage("webhook ftp://example.com/*** is not an http or https URL");
  }
}
