package dev.sluice.admin.git;

import java.util.List;

/**
 * Called after the remote was fetched and the change computed, right before it is pushed. The seam
 * where a test lets another operator push first; in production it does nothing.
 */
@FunctionalInterface
public interface PushHook {

  PushHook NONE = changes -> {};

  void beforePush(List<RefChange> changes);
}
