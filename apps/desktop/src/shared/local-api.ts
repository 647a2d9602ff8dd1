/**
 * The local API between the app's page and its desktop process: request
 * schemas (checked in the desktop process) and the answer shapes the UI
 * reads. Routes are listed in src/server/local-app.ts.
 */
import { emailSchema, personNameSchema, passwordSchema, ROLES, type Role, type User } from '@clinicsync/protocol';
import { z } from 'zod';
import type { SyncStatusView } from './sync-status.ts';
import type { Row } from '@clinicsync/client';

export const signInBodySchema = z.strictObject({ email: emailSchema, password: z.string().min(1).max(256) });
export type SignInBody = z.infer<typeof signInBodySchema>;

export const registerBodySchema = z.strictObject({
  email: emailSchema,
  password: passwordSchema,
  name: personNameSchema,
});
export type RegisterBody = z.infer<typeof registerBodySchema>;

const nameSchema = z.string().trim().min(1).max(200);
export const createOrganizationBodySchema = z.strictObject({ name: nameSchema, teamName: nameSchema });
export type CreateOrganizationBody = z.infer<typeof createOrganizationBodySchema>;

export const inviteBodySchema = z.strictObject({
  email: emailSchema,
  role: z.enum(ROLES),
  teamId: z.uuid().nullable().optional(),
});
export type InviteBody = z.infer<typeof inviteBodySchema>;

export const recordDataBodySchema = z.strictObject({ data: z.record(z.string(), z.unknown()) });

export const resolveConflictBodySchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('keep_mine') }),
  z.strictObject({ kind: z.literal('take_theirs') }),
  z.strictObject({ kind: z.literal('merge'), data: z.record(z.string(), z.unknown()) }),
]);
export type ResolveConflictBody = z.infer<typeof resolveConflictBodySchema>;

/** A synced row as stored locally: the system columns plus the table's own. */
export type LocalRow = Row;

/** What the UI may know about its session: never a token. */
export type SessionView =
  | { readonly state: 'signed_out' }
  | {
      readonly state: 'active';
      readonly user: User;
      readonly expiresAt: string /** Signed in without the server: features that need it wait for an online sign-in. */;
      readonly offline: boolean;
    }
  | { readonly state: 'expired'; readonly user: User };

export type DeviceView = {
  readonly deviceId: string;
  readonly deviceName: string;
  readonly tokenStore: string;
  readonly serverUrl: string;
};

/** The long-poll answer: everything the frame of the app shows. */
export type FeedSnapshot = {
  readonly position: number;
  /** Moves when data the UI lists may have changed (a local write, a pull, the session); lists refetch on it. */
  readonly dataVersion: number;
  readonly session: SessionView;
  readonly sync: SyncStatusView;
  readonly device: DeviceView;
};

/** One organization the signed-in user belongs to, from the local store. */
export type OrganizationView = { readonly id: string; readonly name: string; readonly role: Role };

/** A member row with the person's name when this device has learned it. */
export type MemberView = { readonly row: LocalRow; readonly name: string | null; readonly isMe: boolean };

/** An appointment with the name of its patient, for the appointment book. */
export type BookEntry = { readonly appointment: LocalRow; readonly patient: LocalRow | null };

/** A conflict as the inbox shows it (packages/client conflict inbox). */
export type ConflictView = {
  readonly id: string;
  readonly table: string;
  readonly recordId: string;
  readonly fields: readonly string[];
  /** The row as this device has it, with the unsent edit. */
  readonly mine: Readonly<Record<string, unknown>> | null;
  /** The row as the server has it. */
  readonly theirs: Readonly<Record<string, unknown>> | null;
  /** The fields this device's refused edit wrote; null when it wrote the whole row (a new record) or deleted it. */
  readonly changedHere: readonly string[] | null;
  /** The fields in conflict (both sides hold different values): keep mine / take theirs decide only these. */
  readonly conflictingFields: readonly string[];
  /** What this device tried: a new record, a change, or a deletion. */
  readonly op: 'INSERT' | 'UPDATE' | 'DELETE';
  readonly createdAt: string | null;
};

/** A resolution chosen and not sent yet: it can be undone until the next push carries it. */
export type UnsentResolutionView = {
  readonly conflict: ConflictView;
  readonly kind: ResolveConflictBody['kind'];
  readonly resolvedAt: string;
  /** False while a push carries it (or the server may have it). */
  readonly canUndo: boolean;
};

/** Who or what a refused change is about, in words: the patient's name, the kind of entry. */
export type RecordSubject = {
  /** The kind of entry ("patient", "vital sign"). */
  readonly label: string;
  /** The patient the record is or belongs to, when this device knows it. */
  readonly patientName: string | null;
  readonly patientId: string | null;
};

/** A queued change the server failed on alone every time; it stays queued and is sent again later. */
export type HeldChangeView = {
  readonly eventId: string;
  readonly table: string;
  readonly recordId: string;
  readonly op: string;
  readonly subject: RecordSubject;
  readonly code: string;
  readonly message: string;
  readonly attempts: number;
  readonly retryAt: string;
};

/** The sync state of a record that is not simply sent (packages/client record sync state). */
export type RecordSyncView = {
  readonly recordId: string;
  readonly state: 'not_sent' | 'refused' | 'in_conflict';
  /** Set when the record's change is held back: why. */
  readonly held: { readonly code: string; readonly message: string } | null;
};

export const resendDeadLetterBodySchema = z.strictObject({ data: z.record(z.string(), z.unknown()).default({}) });
export type ResendDeadLetterBody = z.infer<typeof resendDeadLetterBodySchema>;

/** A form's unsaved values, kept in the local store (`_drafts`), never in the browser. */
export const draftBodySchema = z.strictObject({ values: z.record(z.string().max(100), z.string().max(20_000)) });
export type DraftView = {
  readonly key: string;
  readonly values: Readonly<Record<string, string>>;
  readonly updatedAt: string;
};

/** A change the server refused, kept so nothing is lost silently. */
export type DeadLetterView = {
  readonly id: string;
  readonly table: string;
  readonly recordId: string;
  readonly op: string;
  readonly code: string;
  readonly message: string;
  readonly data: Readonly<Record<string, unknown>> | null;
  /** The record as this device had it when the change was refused. */
  readonly record: Readonly<Record<string, unknown>> | null;
  readonly subject: RecordSubject;
  readonly createdAt: string | null;
};
