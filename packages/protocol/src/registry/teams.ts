import { defineTable } from './define-table.ts';

export const teams = defineTable({
  name: 'teams',
  label: 'team',
  columns: {
    organization_id: { type: 'uuid', required: true, label: 'Organization', references: 'organizations' },
    name: { type: 'text', required: true, label: 'Name', maxLength: 200 },
  },
  scope: { kind: 'column', column: 'organization_id' },
  writeRoles: ['admin'],
  immutable: ['organization_id'],
  strict: ['organization_id'],
});
