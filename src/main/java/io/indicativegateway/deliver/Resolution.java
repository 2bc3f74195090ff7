package io.indicativegateway.deliver;

/** How an item left delivery. */
enum Resolution {
  /** Indicative accepted it. */
  DELIVERED,
  /** It will not be delivered (refused, too large, or too old): its message goes to the dead-letter store. */
  DEAD_LETTERED,
  /** Shutdown came first: its message stays stored for the next start. */
  ABANDONED
}
