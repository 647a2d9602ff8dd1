import { useState } from 'react';
import type { OrganizationView } from '../../shared/local-api.ts';
import { useTeams } from '../hooks/useTeams.ts';
import { ErrorNotice } from './ErrorNotice.tsx';
import { RecordForm } from './RecordForm.tsx';

/** The organization's teams: add and rename. */
export function TeamsPanel({ org }: { readonly org: OrganizationView }) {
  const teams = useTeams(org.id);
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<string | null>(null);
  return (
    <section className="card" aria-labelledby="teams-title">
      <div className="section-head">
        <h2 id="teams-title">Teams</h2>
        {!adding && (
          <button type="button" className="button" onClick={() => setAdding(true)}>
            Add team
          </button>
        )}
      </div>
      {adding && (
        <RecordForm
          table="teams"
          fixed={{ organization_id: org.id }}
          title="New team"
          submitLabel="Add team"
          onSaved={() => setAdding(false)}
          onCancel={() => setAdding(false)}
        />
      )}
      <ErrorNotice error={teams.error} />
      <ul className="plain-list">
        {(teams.data ?? []).map((team) =>
          editing === team.id ? (
            <li key={team.id}>
              <RecordForm
                table="teams"
                row={team}
                title="Rename team"
                submitLabel="Save"
                onSaved={() => setEditing(null)}
                onCancel={() => setEditing(null)}
              />
            </li>
          ) : (
            <li key={team.id} className="list-row">
              <span>{String(team.name)}</span>
              <button
                type="button"
                className="button small"
                onClick={() => setEditing(team.id)}
                aria-label={`Rename ${String(team.name)}`}
              >
                Rename
              </button>
            </li>
          ),
        )}
      </ul>
    </section>
  );
}
