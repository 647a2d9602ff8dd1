/**
 * The scheduler (docs/architecture.md §7 "Sync worker", docs/style.md §7): a service with start/stop
 * that runs a cycle — push everything, then pull until done — when a local
 * write has settled (debounced), on an interval timer (also the heartbeat),
 * when the app says the network is back, and on `syncNow()`. Failures back
 * off exponentially with jitter; 401 and 426 stop the timer without losing
 * anything until the app resolves them. Cycles never overlap.
 *
 * Live (PROTOCOL §4): while idle between cycles, the engine keeps a waiting
 * pull open (live-pull.ts), so a colleague's change is applied as soon as
 * the server has it. Waiting pulls go through the same chain as cycles, so
 * they never run beside one; a local write, `syncNow()` or `notifyOnline()`
 * end the wait. When a waiting pull fails or comes back early, the engine
 * waits a backoff step (or the server's Retry-After) and runs a normal
 * cycle before it waits live again: a server, proxy or network that will
 * not hold requests costs today's timer and backoff, never a tight loop.
 */
import { meansDeviceRevoked } from './classify-failure.ts';
import { nextDelay, retryDelay } from './backoff.ts';
import { waitLive, type LiveOutcome } from './live-pull.ts';
import type { LoopContext, StepOutcome } from './loop-context.ts';
import { describeFailure } from './loop-context.ts';
import { pullAll } from './pull-loop.ts';
import { pushAll } from './push-loop.ts';
import { sleep } from './sleep.ts';
import { localCounts, takeBatch } from './store/outbox.ts';
import { writeState } from './store/sync-state.ts';
import { wipeRevokedDevice } from './store/wipe-revoked-device.ts';

export type SyncService = {
  start(): void;
  stop(): Promise<void>;
  /** Runs one cycle after any running one. */
  syncNow(): Promise<void>;
  /** A local write happened: sync once writes have been quiet for the debounce time. */
  notifyWrite(): void;
  /** Network is back: end a backoff wait now. */
  notifyOnline(): void;
  /** A new sync token is stored: leave sign_in_required / upgrade_required and sync. */
  resume(): void;
};

type WaitMode = 'idle' | 'backoff' | 'blocked';
type WakeReason = 'write' | 'now';

// Continuous typing must not postpone a push forever.
const MAX_DEBOUNCE_FACTOR = 10;

export function createSyncService(ctx: LoopContext): SyncService {
  let loop: { controller: AbortController; done: Promise<void> } | undefined;
  let wake: { controller: AbortController; mode: WaitMode } | undefined;
  const cycles = new Set<AbortController>();
  let chain: Promise<unknown> = Promise.resolve();
  let attempt = 0;
  // Failed or early waiting pulls in a row: the backoff step before the next try.
  let liveAttempt = 0;
  let liveRequest: AbortController | undefined;

  function wakeUp(reason: WakeReason, modes: readonly WaitMode[]): void {
    if (wake && modes.includes(wake.mode) && !wake.controller.signal.aborted) wake.controller.abort(reason);
  }

  async function runCycle(signal: AbortSignal): Promise<StepOutcome> {
    const push = await pushAll(ctx, signal);
    const outcome = push.kind === 'done' ? await pullAll(ctx, signal) : push;
    const { store, status } = ctx;
    status.dispatch({ type: 'counts', counts: localCounts(store) });
    const at = store.clock.now().toISOString();
    switch (outcome.kind) {
      case 'done':
        writeState(store.db, 'last_sync_at', at);
        status.dispatch({ type: 'synced', at });
        // A manual sync that got through also ends a blocked wait.
        wakeUp('now', ['blocked']);
        break;
      case 'stopped':
        status.dispatch({ type: 'stopped' });
        break;
      case 'failed': {
        // The device was revoked: its organizations' records leave this computer, unsent work stays visible.
        if (meansDeviceRevoked(outcome.failure)) wipeRevokedDevice(store);
        const offline = outcome.failure.kind === 'network' || outcome.failure.kind === 'timeout';
        status.dispatch({ type: 'counts', counts: localCounts(store) });
        status.dispatch({
          type: 'failed',
          action: outcome.action,
          offline,
          error: describeFailure(outcome.failure, at),
        });
        if (outcome.action === 'report_bug')
          ctx.onError(new Error(`sync failed: ${describeFailure(outcome.failure, at).code}`));
        break;
      }
    }
    return outcome;
  }

  /** Serialized so a manual sync and the timer never push the same batch twice at once. */
  function cycle(parent: AbortSignal): Promise<StepOutcome> {
    const controller = new AbortController();
    const stopWithParent = () => controller.abort();
    parent.addEventListener('abort', stopWithParent, { once: true });
    const run = chain.then(async () => {
      if (parent.aborted) return { kind: 'stopped' } as const;
      cycles.add(controller);
      try {
        return await runCycle(controller.signal);
      } catch (error) {
        // A bug (or a closed store) must not kill the loop silently.
        ctx.onError(error);
        return {
          kind: 'failed',
          action: 'report_bug',
          failure: { kind: 'invalid_response', status: 0, message: 'Sync stopped on an internal error.' },
        } as const;
      } finally {
        cycles.delete(controller);
        parent.removeEventListener('abort', stopWithParent);
      }
    });
    chain = run.catch(() => undefined);
    return run;
  }

  /** One waiting pull, queued behind any running cycle; `syncNow()` ends it to run its cycle first. */
  function livePull(seconds: number, parent: AbortSignal): Promise<LiveOutcome> {
    const controller = new AbortController();
    const signal = AbortSignal.any([parent, controller.signal]);
    const run = chain.then(async (): Promise<LiveOutcome> => {
      if (signal.aborted) return { kind: 'stopped' };
      liveRequest = controller;
      try {
        return await waitLive(ctx, seconds, signal);
      } catch (error) {
        ctx.onError(error);
        return {
          kind: 'failed',
          action: 'report_bug',
          failure: { kind: 'invalid_response', status: 0, message: 'Live sync stopped on an internal error.' },
        };
      } finally {
        if (liveRequest === controller) liveRequest = undefined;
      }
    });
    chain = run.catch(() => undefined);
    return run;
  }

  /**
   * The idle wait with live sync: waiting pulls back to back until `ms` has
   * passed. True: run a cycle now (time is up, more pages wait, or a failed
   * waiting pull's backoff step is over); false: `signal` ended the wait.
   */
  async function waitIdleLive(ms: number, signal: AbortSignal): Promise<boolean> {
    const clock = ctx.store.clock;
    const deadline = clock.now().getTime() + ms;
    for (;;) {
      const left = deadline - clock.now().getTime();
      if (left <= 0) return true;
      const seconds = Math.min(ctx.liveWaitSeconds, Math.floor(left / 1000));
      if (seconds < 1) return sleep(left, signal);
      const outcome = await livePull(seconds, signal);
      switch (outcome.kind) {
        case 'stopped':
          if (signal.aborted) return false;
          // Ended by syncNow(): its cycle ran first; go on waiting.
          continue;
        case 'applied':
          liveAttempt = 0;
          if (outcome.more) return true;
          continue;
        case 'quiet':
          liveAttempt = 0;
          continue;
        case 'early':
        case 'failed': {
          // Sign-in and upgrade are for the cycle to find out and show; it then stops the timer.
          if (outcome.kind === 'failed' && (outcome.action === 'sign_in' || outcome.action === 'upgrade')) return true;
          const step =
            outcome.kind === 'failed'
              ? retryDelay(liveAttempt, outcome.failure, ctx.random, ctx.backoff)
              : nextDelay(liveAttempt, ctx.random, ctx.backoff);
          liveAttempt += 1;
          return sleep(Math.min(step, deadline - clock.now().getTime()), signal);
        }
      }
    }
  }

  async function waitForTrigger(ms: number, mode: WaitMode, signal: AbortSignal): Promise<void> {
    let remaining = ms;
    let debounceStarted: number | undefined;
    for (;;) {
      const controller = new AbortController();
      wake = { controller, mode };
      const waitSignal = AbortSignal.any([signal, controller.signal]);
      // Live only while truly idle: not in a backoff, a blocked state or a write's debounce.
      const live = ctx.liveWaitSeconds > 0 && mode === 'idle' && debounceStarted === undefined;
      const completed = live ? await waitIdleLive(remaining, waitSignal) : await sleep(remaining, waitSignal);
      wake = undefined;
      if (completed || signal.aborted) return;
      if ((controller.signal.reason as WakeReason) === 'now') return;
      // A write: wait until writes have been quiet for debounceMs (bounded).
      const now = ctx.store.clock.now().getTime();
      debounceStarted ??= now;
      const left = debounceStarted + ctx.debounceMs * MAX_DEBOUNCE_FACTOR - now;
      if (left <= 0) return;
      remaining = Math.min(ctx.debounceMs, left);
      mode = 'idle';
    }
  }

  async function run(signal: AbortSignal): Promise<void> {
    let delay = 0;
    let mode: WaitMode = 'idle';
    while (!signal.aborted) {
      await waitForTrigger(delay, mode, signal);
      if (signal.aborted) return;
      const outcome = await cycle(signal);
      switch (outcome.kind) {
        case 'stopped':
          return;
        case 'done':
          attempt = 0;
          mode = 'idle';
          // Writes made while the cycle ran go out soon, not at the next tick. Held-back events wait for their own retry time.
          delay = takeBatch(ctx.store, 1).events.length > 0 ? ctx.debounceMs : ctx.intervalMs;
          break;
        case 'failed':
          if (outcome.action === 'sign_in' || outcome.action === 'upgrade') {
            mode = 'blocked';
            delay = Infinity;
          } else {
            mode = 'backoff';
            delay = retryDelay(attempt, outcome.failure, ctx.random, ctx.backoff);
            attempt += 1;
          }
          break;
      }
    }
  }

  return {
    start() {
      if (loop) return;
      const controller = new AbortController();
      const done = run(controller.signal).catch((error: unknown) => ctx.onError(error));
      loop = { controller, done };
    },
    async stop() {
      const current = loop;
      loop = undefined;
      current?.controller.abort();
      for (const c of cycles) c.abort();
      await current?.done;
      await chain;
    },
    async syncNow() {
      // A waiting pull holds the chain: end it so this cycle runs now (the loop waits live again after).
      liveRequest?.abort();
      await cycle(loop?.controller.signal ?? new AbortController().signal);
    },
    notifyWrite() {
      wakeUp('write', ['idle']);
    },
    notifyOnline() {
      ctx.status.dispatch({ type: 'online' });
      attempt = 0;
      wakeUp('now', ['idle', 'backoff']);
    },
    resume() {
      attempt = 0;
      ctx.status.dispatch({ type: 'resumed' });
      wakeUp('now', ['idle', 'backoff', 'blocked']);
    },
  };
}
