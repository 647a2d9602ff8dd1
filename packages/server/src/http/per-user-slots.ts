/**
 * How many requests of one kind one person may have running at once on this
 * instance; beyond that a request is refused at once (not queued), so a few
 * costly pushes from one account cannot take an instance's time from every
 * other clinic. Per instance by design, like `concurrency-limit.ts`: it
 * protects the instance's own CPU. Created per app, never shared.
 */
export type PerUserSlots = {
  /** Takes a slot for `userId`; false when they already hold `max`. */
  take(userId: string): boolean;
  release(userId: string): void;
  /** Slots held now (tests). */
  held(userId: string): number;
};

export function createPerUserSlots(max: number): PerUserSlots {
  const held = new Map<string, number>();
  return {
    take(userId) {
      const now = held.get(userId) ?? 0;
      if (now >= max) return false;
      held.set(userId, now + 1);
      return true;
    },
    release(userId) {
      const now = (held.get(userId) ?? 0) - 1;
      if (now <= 0) held.delete(userId);
      else held.set(userId, now);
    },
    held: (userId) => held.get(userId) ?? 0,
  };
}
