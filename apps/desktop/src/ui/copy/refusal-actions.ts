/**
 * What can be done with a change the server refused for good (PROTOCOL §3
 * rejection codes, plus the engine's own `creation_refused` and
 * `organization_revoked`), so the list of refused changes offers only what
 * can work: a change refused for the person's role is never offered "Edit and
 * send again", since no edit of the values changes who is sending it.
 *
 * - `correct`: the values were at fault; edit them and send again.
 * - `send_again`: the values are fine, something else must change first (the
 *   advice says what); then send it unchanged.
 * - `hand_over`: sending it from here would be refused the same way; copy it
 *   (for a colleague who may enter it, or to enter it again) and discard it.
 *
 * A code newer than this app is `correct`: the server's own message is shown
 * and the person may know what to fix; nothing is lost by offering it.
 */
import {
  assertNever,
  isTableName,
  REJECTION_CODES,
  ROLES,
  TABLES,
  type RejectionCode,
  type Role,
} from '@clinicsync/protocol';

export type RefusalAction =
  | { readonly kind: 'correct' }
  | { readonly kind: 'send_again'; readonly advice: string }
  | { readonly kind: 'hand_over'; readonly advice: string };

const ROLE_PLURAL: Readonly<Record<Role, string>> = {
  admin: 'administrators',
  clinician: 'clinicians',
  receptionist: 'receptionists',
};

const COPY_THEN_DISCARD = 'Copy it if it is still needed, then discard it.';

/** "administrators and clinicians", from the table's write roles; null when every role may (then the role was not why). */
function whoMayWrite(table: string): string | null {
  if (!isTableName(table)) return null;
  const names = TABLES[table].writeRoles.map((role) => ROLE_PLURAL[role]);
  if (names.length === 0 || names.length === ROLES.length) return null;
  return names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

/** "vital signs", "patients": the table's records as staff say them. */
function recordsOf(table: string): string {
  return isTableName(table) ? `${TABLES[table].label}s` : 'these records';
}

/** The action a refused change of `table` offers for its refusal `code`. */
export function refusalAction(code: string, table: string): RefusalAction {
  switch (code) {
    case 'creation_refused':
      return { kind: 'hand_over', advice: `It cannot be sent without the record it belongs to. ${COPY_THEN_DISCARD}` };
    case 'organization_revoked':
      return { kind: 'hand_over', advice: `Only a member can send it. ${COPY_THEN_DISCARD}` };
  }
  if (!(REJECTION_CODES as readonly string[]).includes(code)) return { kind: 'correct' };
  const known = code as RejectionCode;
  switch (known) {
    case 'invalid_event':
    case 'out_of_range':
    case 'duplicate_identifier':
    case 'event_id_reused':
      return { kind: 'correct' };
    case 'forbidden': {
      // Nobody can add a member by a change (PROTOCOL §1b): people join by accepting an invitation.
      if (table === 'members')
        return {
          kind: 'hand_over',
          advice:
            'People join an organization only by accepting an invitation, and only administrators change members. Ask an administrator to invite the person, then discard it here.',
        };
      const who = whoMayWrite(table);
      return {
        kind: 'hand_over',
        advice: who
          ? `Only ${who} may enter or change ${recordsOf(table)}. Copy it for a colleague who may, then discard it here.`
          : 'Sending it again would be refused the same way. Copy it for a colleague who may enter it, then discard it here.',
      };
    }
    case 'last_admin':
      return {
        kind: 'send_again',
        advice: 'Make another member an administrator first, then send it again; or discard it.',
      };
    case 'unknown_table':
    case 'unknown_field':
      return {
        kind: 'hand_over',
        advice: `This version of the app cannot send it; update the app to enter it again. ${COPY_THEN_DISCARD}`,
      };
    case 'not_found':
    case 'immutable_field':
    case 'cross_organization':
    case 'already_exists':
    case 'bootstrap_incomplete':
      return { kind: 'hand_over', advice: `Sending it again would be refused the same way. ${COPY_THEN_DISCARD}` };
    default:
      return assertNever(known);
  }
}
