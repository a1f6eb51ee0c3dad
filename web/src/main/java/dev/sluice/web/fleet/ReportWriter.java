package dev.sluice.web.fleet;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that writes reports: requests queue their report and wait; the writer takes
 * whatever has queued up (up to {@link #MAX_BATCH}) and stores it in one transaction, so that many
 * nodes reporting at once cost one commit instead of one each.
 */
public final class ReportWriter implements AutoCloseable {

  static final int MAX_BATCH = 500;
  static final int MAX_QUEUED = 10_000;

  private static final Logger LOG = LoggerFactory.getLogger(ReportWriter.class);

  private record Pending(ReportRow row, CompletableFuture<ReportStore.Outcome> done) {}

  private final ReportStore store;
  private final Clock clock;
  private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>(MAX_QUEUED);
  private final Thread thread;
  private volatile boolean running = true;

  public ReportWriter(ReportStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
    this.thread = new Thread(this::loop, "fleet-report-writer");
    this.thread.setDaemon(true);
    this.thread.start();
  }

  /**
   * Queues a report; the future completes once it is committed (or fails with the store's error).
   *
   * @throws StoreException if the queue is full (the dashboard is overloaded) or closed
   */
  public CompletableFuture<ReportStore.Outcome> submit(ReceivedReport report) {
    if (!running) {
      throw new StoreException("the report writer is shut down");
    }
    CompletableFuture<ReportStore.Outcome> done = new CompletableFuture<>();
    // Rendered here, on the receiving thread, so the writer thread only runs SQL.
    if (!queue.offer(new Pending(ReportRow.of(report), done))) {
      throw new StoreException("too many reports queued (" + MAX_QUEUED + "); try again later");
    }
    return done;
  }

  /** Whether the writer thread is taking reports. */
  public boolean running() {
    return running && thread.isAlive();
  }

  private void loop() {
    List<Pending> batch = new ArrayList<>(MAX_BATCH);
    while (running || !queue.isEmpty()) {
      try {
        Pending first = queue.poll(200, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, MAX_BATCH - 1);
        write(batch);
      } catch (InterruptedException e) {
        running = false;
      } finally {
        batch.clear();
      }
    }
  }

  private void write(List<Pending> batch) {
    List<ReportRow> rows = new ArrayList<>(batch.size());
    for (Pending pending : batch) {
      rows.add(pending.row());
    }
    try {
      List<ReportStore.Outcome> outcomes = store.saveRows(rows, clock.instant());
      for (int i = 0; i < batch.size(); i++) {
        batch.get(i).done().complete(outcomes.get(i));
      }
    } catch (RuntimeException e) {
      LOG.error("storing {} reports failed: {}", batch.size(), e.getMessage());
      for (Pending pending : batch) {
        pending.done().completeExceptionally(e);
      }
    }
  }

  /** Stores what is queued, then stops the writer thread. */
  @Override
  public void close() {
    running = false;
    try {
      thread.join(TimeUnit.SECONDS.toMillis(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
