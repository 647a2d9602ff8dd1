import { ROLES, defineTable } from './define-table.ts';

export const members = defineTable({
  name: 'members',
  label: 'member',
  columns: {
    organization_id: { type: 'uuid', required: true, label: 'Organization', references: 'organizations' },
    user_id: { type: 'uuid', required: true, label: 'User' },
    role: { type: 'enum', required: true, label: 'Role', values: ROLES },
    team_id: { type: 'uuid', required: false, label: 'Team', references: 'teams' },
  },
  scope: { kind: 'column', column: 'organization_id' },
  writeRoles: ['admin'],
  // A membership is one person in one organization: moving it to another
  // person would silently hand over their access.
  immutable: ['organization_id', 'user_id'],
  strict: 'all',
});
