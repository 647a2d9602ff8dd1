import { organizations, teams } from '@clinicsync/protocol';
import { useState, type FormEvent } from 'react';
import type { LocalRow } from '../../shared/local-api.ts';
import { LocalApiError } from '../api/local-client.ts';
import { useOrganizations } from '../hooks/useOrganizations.ts';
import { ErrorNotice } from './ErrorNotice.tsx';

const NAME_MAX = organizations.columns.name.maxLength;
const TEAM_MAX = teams.columns.name.maxLength;

/** Creates an organization with you as its administrator and its first team, in one sync batch. */
export function CreateOrganizationForm({
  onCreated,
  onCancel,
}: {
  readonly onCreated: (org: LocalRow) => void;
  readonly onCancel?: () => void;
}) {
  const { create } = useOrganizations();
  const [name, setName] = useState('');
  const [teamName, setTeamName] = useState('General practice');
  const [errors, setErrors] = useState<{ name?: string; teamName?: string }>({});
  const [failure, setFailure] = useState<LocalApiError | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const next: { name?: string; teamName?: string } = {};
    if (!name.trim()) next.name = 'Enter the organization name.';
    if (!teamName.trim()) next.teamName = 'Enter a name for the first team.';
    setErrors(next);
    if (next.name || next.teamName) {
      document.getElementById(next.name ? 'org-name' : 'org-team')?.focus();
      return;
    }
    setBusy(true);
    try {
      const created = await create({ name: name.trim(), teamName: teamName.trim() });
      onCreated(created.organization);
    } catch (error) {
      setFailure(
        error instanceof LocalApiError ? error : new LocalApiError(0, 'internal', 'Could not create the organization.'),
      );
      setBusy(false);
    }
  };

  return (
    <section className="card narrow-card" aria-labelledby="org-title">
      <h1 id="org-title">Create an organization</h1>
      <p className="muted">
        You will be its administrator. You can add colleagues and more teams afterwards; this works offline too.
      </p>
      <form className="stack" onSubmit={submit} noValidate>
        <div className={`field${errors.name ? ' field-invalid' : ''}`}>
          <label htmlFor="org-name">Organization name</label>
          <input
            id="org-name"
            value={name}
            maxLength={NAME_MAX}
            required
            aria-invalid={errors.name ? true : undefined}
            aria-describedby={errors.name ? 'org-name-error' : undefined}
            onChange={(e) => setName(e.target.value)}
          />
          {errors.name && (
            <p className="field-error" id="org-name-error">
              {errors.name}
            </p>
          )}
        </div>
        <div className={`field${errors.teamName ? ' field-invalid' : ''}`}>
          <label htmlFor="org-team">First team</label>
          <input
            id="org-team"
            value={teamName}
            maxLength={TEAM_MAX}
            required
            aria-invalid={errors.teamName ? true : undefined}
            aria-describedby={errors.teamName ? 'org-team-error' : undefined}
            onChange={(e) => setTeamName(e.target.value)}
          />
          {errors.teamName && (
            <p className="field-error" id="org-team-error">
              {errors.teamName}
            </p>
          )}
        </div>
        <ErrorNotice error={failure} />
        <div className="form-actions">
          <button type="submit" className="button primary" disabled={busy}>
            Create organization
          </button>
          {onCancel && (
            <button type="button" className="button" onClick={onCancel}>
              Cancel
            </button>
          )}
        </div>
      </form>
    </section>
  );
}
