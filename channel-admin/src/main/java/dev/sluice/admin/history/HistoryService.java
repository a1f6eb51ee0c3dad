package dev.sluice.admin.history;

import dev.sluice.admin.git.RemoteAccess;
import dev.sluice.core.channel.Channel;
import dev.sluice.core.channel.ChannelSpec;
import dev.sluice.core.git.RemoteCache;
import dev.sluice.core.history.ChannelStatusReader;
import dev.sluice.core.history.RollbackTags;
import dev.sluice.core.promotion.ChannelState;
import dev.sluice.core.promotion.PromotionRecord;
import dev.sluice.core.promotion.Release;
import dev.sluice.core.promotion.ReleaseRecord;
import dev.sluice.core.promotion.Rollback;
import dev.sluice.core.promotion.RollbackRecord;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Releases, promotions and rollbacks read back from the remote's tags, newest first. Only tags that
 * carry channel-admin's record are labelled release, promotion or rollback; other release tags are
 * listed as plain tags.
 */
public final class HistoryService {

  /** Newest first (a stable sort: releases of the same second keep their order). */
  private static final Comparator<HistoryEntry> NEWEST_FIRST =
      Comparator.comparing(HistoryEntry::time).reversed();

  private final ChannelStatusReader reader;

  public HistoryService(ChannelSpec stable, ChannelSpec preprod) {
    this.reader = new ChannelStatusReader(stable, preprod);
  }

  public static HistoryService withDefaultChannels() {
    return new HistoryService(
        ChannelSpec.defaultFor(Channel.STABLE), ChannelSpec.defaultFor(Channel.PREPROD));
  }

  public List<HistoryEntry> history(RemoteAccess access) {
    try (RemoteCache cache = access.openFetched()) {
      ChannelState state = reader.read(cache.repository(), access.remote());
      List<HistoryEntry> entries = new ArrayList<>();
      state.releases().forEach(release -> entries.add(entry(release)));
      RollbackTags.readAll(cache.repository()).forEach(rollback -> entries.add(entry(rollback)));
      entries.sort(NEWEST_FIRST);
      return entries;
    }
  }

  static HistoryEntry entry(Release release) {
    if (release.channel().equals(Channel.PREPROD.id())) {
      Optional<ReleaseRecord> record = ReleaseRecord.parse(release.message());
      return new HistoryEntry(
          record.isPresent() ? HistoryEntry.Kind.RELEASE : HistoryEntry.Kind.TAG,
          release.channel(),
          release.tag(),
          release.version(),
          release.commit(),
          release.time(),
          release.tagger(),
          record.map(ReleaseRecord::from).orElse(null),
          record.map(ReleaseRecord::forced).orElse(null),
          record.map(ReleaseRecord::note).filter(n -> !n.isEmpty()).orElse(null),
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          record.isPresent());
    }
    Optional<PromotionRecord> record =
        PromotionRecord.parse(release.message()).filter(r -> r.commit().equals(release.commit()));
    return new HistoryEntry(
        record.isPresent() ? HistoryEntry.Kind.PROMOTION : HistoryEntry.Kind.TAG,
        release.channel(),
        release.tag(),
        release.version(),
        release.commit(),
        release.time(),
        release.tagger(),
        null,
        null,
        null,
        record.map(PromotionRecord::candidate).orElse(null),
        record.map(PromotionRecord::soakRequired).orElse(null),
        record.map(PromotionRecord::soakServed).orElse(null),
        record.map(PromotionRecord::overrideReason).orElse(null),
        record.map(PromotionRecord::gates).orElse(null),
        null,
        null,
        null,
        null,
        record.isPresent());
  }

  static HistoryEntry entry(Rollback rollback) {
    RollbackRecord record = rollback.record();
    return new HistoryEntry(
        HistoryEntry.Kind.ROLLBACK,
        record.channel(),
        rollback.tag(),
        null,
        record.fromCommit(),
        rollback.time(),
        rollback.tagger(),
        record.from(),
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        record.to(),
        record.toCommit(),
        record.deadend(),
        record.reason(),
        true);
  }
}
