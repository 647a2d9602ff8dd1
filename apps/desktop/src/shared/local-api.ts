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

export const registerBodySchema = z.strictObject({ email: emailSchema, password: passwordSchema, name: personNameSchema });
export type RegisterBody = z.infer<typeof registerBodySchema>;

const nameSchema = z.string().trim().min(1).max(200);
export const createOrganizationBodySchema = z.strictObject({ name: nameSchema, teamName: nameSchema });
export type CreateOrganizationBody = z.infer<typeof createOrganizationBodySchema>;

export const inviteBodySchema = z.strictObject({ email: emailSchema, role: z.enum(ROLES), teamId: z.uuid().nullable().optional() });
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
  | { readonly state: 'active'; readonly user: User; readonly expiresAt: string; /** Signed in without the server: features that need it wait for an online sign-in. */ readonly offline: boolean }
  | { readonly state: 'expired'; readonly user: User };

export type DeviceView = { readonly deviceId: string; readonly deviceName: string; readonly tokenStore: string; readonly serverUrl: string };

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
  readonly createdAt: string | null;
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
  readonly createdAt: string | null;
};
