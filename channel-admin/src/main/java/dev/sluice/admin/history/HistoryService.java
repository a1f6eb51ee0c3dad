package dev.sluice.admin.history;

import dev.sluice.admin.git.RemoteAccess;
import dev.sluice.core.channel.Channel;
import dev.sluice.core.channel.ChannelSpec;
import dev.sluice.core.promotion.ChannelState;
import dev.sluice.core.promotion.ChannelStatusReader;
import dev.sluice.core.promotion.PromotionRecord;
import dev.sluice.core.promotion.Release;
import dev.sluice.core.promotion.ReleaseRecord;
import java.util.List;
import java.util.Optional;

/** Releases and promotions read back from the remote's tags, newest first. */
public final class HistoryService {

  private final ChannelStatusReader reader;

  public HistoryService(ChannelSpec stable, ChannelSpec preprod) {
    this.reader = new ChannelStatusReader(stable, preprod);
  }

  public static HistoryService withDefaultChannels() {
    return new HistoryService(
        ChannelSpec.defaultFor(Channel.STABLE), ChannelSpec.defaultFor(Channel.PREPROD));
  }

  public List<HistoryEntry> history(RemoteAccess access) {
    ChannelState state = reader.fetch(access.remote(), access.cacheDir(), access.credentials());
    return state.releases().stream().map(HistoryService::entry).toList();
  }

  static HistoryEntry entry(Release release) {
    if (release.channel().equals(Channel.PREPROD.id())) {
      Optional<ReleaseRecord> record = ReleaseRecord.parse(release.message());
      return new HistoryEntry(
          HistoryEntry.Kind.RELEASE,
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
          record.isPresent());
    }
    Optional<PromotionRecord> record = PromotionRecord.parse(release.message());
    return new HistoryEntry(
        HistoryEntry.Kind.PROMOTION,
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
        record.isPresent());
  }
}
