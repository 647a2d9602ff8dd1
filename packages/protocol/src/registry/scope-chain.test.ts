import { describe, expect, it } from 'vitest';
import { SCOPE_CHAINS, scopeLink } from './scope-chain.ts';
import { TABLE_NAMES } from './tables.ts';

describe('the scope chain', () => {
  it('follows the registry: patient → organization, appointment → team → organization, vital and medication → patient → organization', () => {
    expect(SCOPE_CHAINS).toEqual({
      organizations: [],
      teams: [{ column: 'organization_id', parent: 'organizations' }],
      members: [{ column: 'organization_id', parent: 'organizations' }],
      patients: [{ column: 'organization_id', parent: 'organizations' }],
      appointments: [
        { column: 'team_id', parent: 'teams' },
        { column: 'organization_id', parent: 'organizations' },
      ],
      vitals: [
        { column: 'patient_id', parent: 'patients' },
        { column: 'organization_id', parent: 'organizations' },
      ],
      medications: [
        { column: 'patient_id', parent: 'patients' },
        { column: 'organization_id', parent: 'organizations' },
      ],
    });
  });

  it('ends at an organization for every table, each link one step of the next table', () => {
    for (const table of TABLE_NAMES) {
      const chain = SCOPE_CHAINS[table];
      if (chain.length > 0) expect(chain.at(-1)!.parent, table).toBe('organizations');
      for (let i = 1; i < chain.length; i++) expect(SCOPE_CHAINS[chain[i - 1]!.parent][0]).toEqual(chain[i]);
      expect(scopeLink(table)).toEqual(chain[0]);
    }
  });
});
