import { defineTable } from './define-table.ts';

export const organizations = defineTable({
  name: 'organizations',
  label: 'organization',
  columns: {
    name: { type: 'text', required: true, label: 'Name', maxLength: 200 },
  },
  scope: { kind: 'self' },
  writeRoles: ['admin'],
  immutable: [],
  strict: [],
});
