/**
 * UI copy for sync states and refusals (docs/style.md §8): one exhaustive switch per
 * union, so adding a phase or a rejection code breaks the build until the UI
 * says something about it.
 */
import { assertNever, REJECTION_CODES, type RejectionCode } from '@clinicsync/protocol';
import type { SyncStatusView } from '../../shared/sync-status.ts';

export type Tone = 'ok' | 'busy' | 'warn' | 'error';

/**
 * What the status bar says for a phase. A device nobody has signed in on yet has never synced: it is waiting for
 * its first sign-in, not stopped, so the first screen a new colleague sees is not an alarm.
 */
export function phaseCopy(status: Pick<SyncStatusView, 'phase' | 'lastSyncAt'>): {
  readonly label: string;
  readonly tone: Tone;
} {
  const phase = status.phase;
  switch (phase) {
    case 'idle':
      return { label: 'Up to date', tone: 'ok' };
    case 'pushing':
      return { label: 'Sending changes…', tone: 'busy' };
    case 'pulling':
      return { label: 'Receiving changes…', tone: 'busy' };
    case 'backoff':
      return { label: 'Sync paused, retrying soon', tone: 'warn' };
    case 'sign_in_required':
      return status.lastSyncAt === null
        ? { label: 'Not signed in: sync starts when you sign in', tone: 'busy' }
        : { label: 'Sync stopped: sign in again', tone: 'error' };
    case 'upgrade_required':
      return { label: 'Update required: changes are kept on this computer', tone: 'error' };
    case 'offline':
      return { label: 'Changes are saved on this computer and sent when the server is back', tone: 'warn' };
    default:
      return assertNever(phase);
  }
}

/**
 * What to do when the server refuses this build as too old (`upgrade_required`). The desktop is installed
 * anew; the browser app gets the new build from the server by reloading (docs/browser-app.md "Updates").
 */
export function upgradeAdvice(host: 'desktop' | 'browser'): string {
  return host === 'browser'
    ? 'Reload this page to get the latest version of ClinicSync and resume syncing; changes not yet sent stay in this browser.'
    : 'Install the latest version of ClinicSync to resume syncing.';
}

/** Why the server refused a change, for people. */
export function rejectionCopy(code: RejectionCode): string {
  switch (code) {
    case 'forbidden':
      return 'Your role does not allow this change.';
    case 'not_found':
      return 'The record no longer exists on the server.';
    case 'invalid_event':
      return 'The change was not valid.';
    case 'unknown_table':
    case 'unknown_field':
      return 'This version of the app sent something the server does not know.';
    case 'immutable_field':
      return 'This field cannot be changed after the record was created.';
    case 'cross_organization':
      return 'The change mixed records of different organizations.';
    case 'event_id_reused':
      return 'The change was sent twice with different content.';
    case 'last_admin':
      return 'An organization must keep at least one administrator.';
    case 'already_exists':
      return 'A record with this id already exists.';
    case 'bootstrap_incomplete':
      return 'The organization was not created, because its first administrator could not be added.';
    case 'out_of_range':
      return 'A value is outside what can be measured; check the number and its unit.';
    case 'duplicate_identifier':
      return 'Another patient of the organization already has this clinic number.';
    default:
      return assertNever(code);
  }
}

const REJECTION_CODE_SET: ReadonlySet<string> = new Set<string>(REJECTION_CODES);

/** Copy for any refusal code, the engine's own included, and codes newer than this app. */
export function refusalCopy(code: string, serverMessage: string): string {
  if (code === 'creation_refused')
    return 'The record this change belongs to was never created on the server (its creation was refused), so the change could not be sent.';
  if (code === 'organization_revoked')
    return 'You are no longer a member of this organization, so the change could not be sent.';
  return REJECTION_CODE_SET.has(code) ? rejectionCopy(code as RejectionCode) : serverMessage;
}

export type RecordSyncState = 'sent' | 'not_sent' | 'refused' | 'in_conflict';

/** What a record's sync badge says. */
export function recordSyncCopy(
  state: RecordSyncState,
  held: { readonly message: string } | null,
): { readonly label: string; readonly tone: 'ok' | 'pending' | 'warn' | 'error'; readonly detail: string | null } {
  switch (state) {
    case 'sent':
      return { label: 'Sent', tone: 'ok', detail: null };
    case 'not_sent':
      return held
        ? { label: 'Not sent: server problem', tone: 'warn', detail: held.message }
        : { label: 'Not sent yet', tone: 'pending', detail: 'Saved on this computer; sent at the next sync.' };
    case 'refused':
      return { label: 'Refused', tone: 'error', detail: 'The server refused a change of this record: see Conflicts.' };
    case 'in_conflict':
      return {
        label: 'In conflict',
        tone: 'error',
        detail: 'Changed here and on the server: choose what to keep under Conflicts.',
      };
    default:
      return assertNever(state);
  }
}

/**
 * The status bar's "unsent" part. It never says everything was sent while a
 * refusal, a conflict or a held-back change is open.
 */
export function pendingCopy(counts: {
  readonly pending: number;
  readonly openConflicts: number;
  readonly deadLetters: number;
  readonly held: number;
}): string {
  const waiting =
    counts.pending === 0 ? null : `${counts.pending} change${counts.pending === 1 ? '' : 's'} waiting to sync`;
  const open = counts.openConflicts + counts.deadLetters;
  if (counts.held > 0) return `${waiting ?? ''}${waiting ? ' · ' : ''}${counts.held} not accepted by the server yet`;
  if (open > 0) return `${waiting ? `${waiting} · ` : ''}Not everything was accepted: ${open} to review`;
  return waiting ?? 'All changes sent';
}

/**
 * What the status bar says while this computer's clock is off the server's (`clockOffMs`, this clock minus the
 * server's, whole minutes): every time recorded here would be wrong, and a clock ahead gets vital signs refused. The
 * answers only show the two clocks differ, not which is wrong (a server's clock can be off too, or a proxy can send
 * any Date): staff are asked to check, never told to change a clock that may be right.
 */
export function clockCopy(clockOffMs: number): string {
  const by = spokenDuration(Math.abs(clockOffMs));
  const check =
    "Check the computer's date and time: if they are wrong, times recorded here are wrong too, so correct them; " +
    "if they are right, the server's clock is off: tell whoever runs the server.";
  return clockOffMs > 0
    ? `This computer's clock is ${by} ahead of the server's. Vital signs recorded "now" are refused as in the future. ${check}`
    : `This computer's clock is ${by} behind the server's. ${check}`;
}

/** "5 min", "3 h 5 min", "12 days", "about 9 years" for a duration in whole minutes. */
function spokenDuration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
  const days = Math.round(hours / 24);
  if (days < 730) return `${days} days`;
  return `about ${Math.round(days / 365.25)} years`;
}
