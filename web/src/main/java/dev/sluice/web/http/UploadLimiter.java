package dev.sluice.web.http;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bounds how many report bodies are read at once, per client address and overall, so that slow
 * uploads hold at most a few request threads and the dashboard keeps the rest. A request that finds
 * no free slot is refused at once, before its body is read.
 */
final class UploadLimiter {

  /** Why a slot was refused. */
  enum Refusal {
    PER_ADDRESS,
    OVERALL
  }

  /** A held slot; close it when the body is read (or the request failed). */
  interface Slot extends AutoCloseable {
    @Override
    void close();
  }

  private final int perAddress;
  private final Semaphore overall;
  private final ConcurrentHashMap<String, AtomicInteger> byAddress = new ConcurrentHashMap<>();

  UploadLimiter(int perAddress, int overall) {
    if (perAddress < 1 || overall < perAddress) {
      throw new IllegalArgumentException("need 1 <= perAddress <= overall");
    }
    this.perAddress = perAddress;
    this.overall = new Semaphore(overall);
  }

  int perAddress() {
    return perAddress;
  }

  /**
   * A slot for one upload from {@code address}.
   *
   * @throws Refused when the address or the server has no free slot
   */
  Slot acquire(String address) {
    AtomicInteger mine = byAddress.computeIfAbsent(address, a -> new AtomicInteger());
    if (mine.incrementAndGet() > perAddress) {
      release(address, mine);
      throw new Refused(Refusal.PER_ADDRESS);
    }
    if (!overall.tryAcquire()) {
      release(address, mine);
      throw new Refused(Refusal.OVERALL);
    }
    return () -> {
      overall.release();
      release(address, mine);
    };
  }

  private void release(String address, AtomicInteger count) {
    if (count.decrementAndGet() <= 0) {
      byAddress.remove(address, count);
      // A racing acquire may have counted on the removed entry; it still releases that entry,
      // so the worst case is one address briefly holding one slot more than its share.
    }
  }

  /** No free upload slot. */
  static final class Refused extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Refusal reason;

    Refused(Refusal reason) {
      super(reason.name(), null, false, false);
      this.reason = reason;
    }

    Refusal reason() {
      return reason;
    }
  }
}
