/**
 * Who may hold a waiting pull on this instance (docs/protocol.md "Live
 * pull", limits): at most one per device — a device's newer waiting pull
 * ends its older one, so a connection the client gave up on but the network
 * kept open costs nothing for long — at most `perUser` per person, and at
 * most `perInstance` in all. Per instance by design, like the pull limit:
 * each instance guards its own sockets and memory.
 */

export type WaitSlotLimits = { readonly perUser: number; readonly perInstance: number };

export type WaitSlot = {
  /** Aborts when a newer waiting pull of the same device replaces this one. */
  readonly signal: AbortSignal;
  release(): void;
};

export type SlotDecision =
  | { readonly kind: 'granted'; readonly slot: WaitSlot }
  | { readonly kind: 'refused'; readonly limit: 'user' | 'instance' };

export type WaitSlots = {
  acquire(holder: { readonly userId: string; readonly deviceId: string }): SlotDecision;
  /** Waiting pulls held now. */
  held(): number;
};

export function createWaitSlots(limits: WaitSlotLimits): WaitSlots {
  const byDevice = new Map<string, { readonly controller: AbortController; readonly slot: WaitSlot }>();
  const perUser = new Map<string, number>();
  let total = 0;

  return {
    acquire({ userId, deviceId }) {
      const deviceKey = `${userId}\u0000${deviceId}`;
      // The same device asking again replaces its older wait, which frees that slot first.
      const older = byDevice.get(deviceKey);
      if (older) {
        older.slot.release();
        older.controller.abort();
      }
      const mine = perUser.get(userId) ?? 0;
      if (mine >= limits.perUser) return { kind: 'refused', limit: 'user' };
      if (total >= limits.perInstance) return { kind: 'refused', limit: 'instance' };
      const controller = new AbortController();
      perUser.set(userId, mine + 1);
      total += 1;
      let released = false;
      const slot: WaitSlot = {
        signal: controller.signal,
        release() {
          if (released) return;
          released = true;
          if (byDevice.get(deviceKey)?.controller === controller) byDevice.delete(deviceKey);
          const left = (perUser.get(userId) ?? 1) - 1;
          if (left > 0) perUser.set(userId, left);
          else perUser.delete(userId);
          total -= 1;
        },
      };
      byDevice.set(deviceKey, { controller, slot });
      return { kind: 'granted', slot };
    },
    held: () => total,
  };
}
