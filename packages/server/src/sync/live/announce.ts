/**
 * Announces, after a commit, that the logs of `topics` moved (organizations,
 * and people whose memberships or devices changed), so waiting pulls answer
 * now. The request's answer never depends on it: a lost announcement delays
 * other devices by one wait at most and loses nothing, so a failure is
 * logged (its name and code: never a message, which may quote data) and the
 * request goes on.
 */
import type { Logger } from '../../logger.ts';
import type { ChangeNotifier } from './change-notifier.ts';

export function announce(notifier: ChangeNotifier, topics: readonly string[], log: Logger): void {
  void notifier
    .notify(topics)
    .catch((error: unknown) =>
      log.warn(
        { err: { name: (error as Error)?.name, code: (error as { code?: unknown })?.code } },
        'change announcement failed',
      ),
    );
}
