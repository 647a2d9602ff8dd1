/**
 * The service worker's registration and what it says about new builds
 * (docs/browser-app.md "Updates"). A server upgrade brings a new build: its
 * service worker installs, takes over every open tab at once and removes the
 * old build's files. An open tab still runs the old build's code until it is
 * reloaded, so it is told (`onUpdate`) and the person reloads when it suits
 * them; nothing unsent is at stake, since every change is in the store.
 *
 * A tab that stays open for days never navigates (the UI routes by the hash),
 * and a browser checks a service worker for updates on navigations only, so
 * the tab asks itself: when the network comes back, when it is shown again,
 * when the server says this build is too old to sync (`check`), and every
 * half hour.
 */

const CHECK_EVERY_MS = 30 * 60_000;

export type AppUpdates = {
  /** True once a new build controls this tab. */
  available(): boolean;
  /** Calls `listener` when a new build takes over this tab; returns the unsubscribe function. */
  onUpdate(listener: () => void): () => void;
  /** Asks the server for a new build now (the server said this build is too old). */
  check(): void;
};

/** Registers the app's service worker (relative, so the app works under any path a proxy gives it) and watches for new builds. */
export function registerAppWorker(win: Window = window): AppUpdates {
  let available = false;
  let check = () => {};
  const listeners = new Set<() => void>();
  const updates: AppUpdates = {
    available: () => available,
    onUpdate(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    check: () => check(),
  };
  const container = win.navigator.serviceWorker;
  if (!container) return updates;

  // The first service worker taking over a first visit is no update; any later take-over is a new build.
  let controlled = container.controller !== null;
  container.addEventListener('controllerchange', () => {
    if (controlled && !available) {
      available = true;
      for (const listener of [...listeners]) listener();
    }
    controlled = true;
  });

  container.register('./sw.js', { scope: './', type: 'module' }).then(
    (registration) => {
      // Offline, or the server is down: the next occasion tries again.
      check = () => void registration.update().catch(() => undefined);
      win.addEventListener('online', check);
      win.document.addEventListener('visibilitychange', () => {
        if (win.document.visibilityState === 'visible') check();
      });
      win.setInterval(check, CHECK_EVERY_MS);
    },
    () => {
      // Without it the app still works online; offline start needs it.
    },
  );
  return updates;
}
