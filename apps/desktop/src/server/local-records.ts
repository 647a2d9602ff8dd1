/**
 * Reads over the local store that the screens need and that combine rows:
 * the signed-in user's organizations, its members with names, the appointment
 * book of a team and day. Everything comes from the local store, so it works
 * offline and shows an organization created a moment ago before it synced.
 */
import { ApiError, ROLES, SCOPE_CHAINS, type Role, type TableName } from '@clinicsync/protocol';
import type { BookEntry, LocalRow, MemberView, OrganizationView } from '../shared/local-api.ts';
import type { SyncEngine } from '@clinicsync/client';
import type { PeopleDirectory } from './people-directory.ts';

const isRole = (value: unknown): value is Role => (ROLES as readonly unknown[]).includes(value);

/** Organizations the user is a member of on this device, by name. */
export function myOrganizations(engine: SyncEngine, userId: string): OrganizationView[] {
  const result: OrganizationView[] = [];
  for (const member of engine.list('members', { where: { user_id: userId } })) {
    const orgId = String(member.organization_id);
    const org = engine.get('organizations', orgId);
    if (!org || !isRole(member.role)) continue;
    result.push({ id: orgId, name: String(org.name), role: member.role });
  }
  return result.sort((a, b) => a.name.localeCompare(b.name));
}

/** The user's membership in `orgId`; 403 when there is none (another organization's data is never served). */
export function requireMembership(engine: SyncEngine, userId: string, orgId: string): OrganizationView {
  const found = myOrganizations(engine, userId).find((o) => o.id === orgId);
  if (!found) throw new ApiError('forbidden', 'You are not a member of this organization on this device.');
  return found;
}

/** Members of an organization with the names this device knows. */
export function membersOf(engine: SyncEngine, people: PeopleDirectory, orgId: string, userId: string): MemberView[] {
  return engine
    .list('members', { where: { organization_id: orgId } })
    .map((row) => ({ row, name: people.nameOf(String(row.user_id)), isMe: row.user_id === userId }))
    .sort((a, b) => (a.name ?? '\uffff').localeCompare(b.name ?? '\uffff'));
}

/** Appointments of a team starting in [from, to), with their patients, earliest first. */
export function appointmentBook(engine: SyncEngine, teamId: string, from: Date, to: Date): BookEntry[] {
  const start = from.getTime();
  const end = to.getTime();
  return engine
    .list('appointments', { where: { team_id: teamId }, orderBy: 'starts_at' })
    .filter((a) => {
      const at = Date.parse(String(a.starts_at));
      return at >= start && at < end;
    })
    .sort((a, b) => Date.parse(String(a.starts_at)) - Date.parse(String(b.starts_at)))
    .map((appointment) => ({
      appointment,
      patient: (engine.get('patients', String(appointment.patient_id)) ?? null) as LocalRow | null,
    }));
}

/** The organization a row belongs to, following the registry's scope rule (PROTOCOL §2) through the local store. */
export function organizationOfRow(engine: SyncEngine, table: TableName, row: LocalRow): string | null {
  let current = row;
  for (const link of SCOPE_CHAINS[table]) {
    const parentId = current[link.column];
    if (typeof parentId !== 'string') return null;
    if (link.parent === 'organizations') return parentId;
    const parent = engine.get(link.parent, parentId);
    if (!parent) return null;
    current = parent as LocalRow;
  }
  return current.id;
}
