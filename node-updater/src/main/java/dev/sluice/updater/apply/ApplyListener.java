package dev.sluice.updater.apply;

import dev.sluice.updater.state.JournalStep;

/** Told each time the apply journal reaches a step (after the step is durably recorded). */
@FunctionalInterface
public interface ApplyListener {

  ApplyListener NONE = step -> {};

  void reached(JournalStep step);
}
