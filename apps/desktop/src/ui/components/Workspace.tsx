import type { User } from '@clinicsync/protocol';
import { useState } from 'react';
import { useOrganizations } from '../hooks/useOrganizations.ts';
import { navigate } from '../hooks/useRoute.ts';
import { AppShell } from './AppShell.tsx';
import { CreateOrganizationForm } from './CreateOrganizationForm.tsx';
import { ErrorNotice } from './ErrorNotice.tsx';
import { MyInvitations } from './MyInvitations.tsx';

const ORG_KEY = 'clinicsync.organization';

/** Picks the organization to work in (remembered per browser); a person without one creates it first. */
export function Workspace({ user, offline }: { readonly user: User; readonly offline: boolean }) {
  const { data: organizations, error } = useOrganizations();
  const [chosen, setChosen] = useState<string | null>(() => window.localStorage.getItem(ORG_KEY));

  if (error) return <ErrorNotice error={error} />;
  if (!organizations)
    return (
      <p aria-busy="true" className="loading">
        Loading…
      </p>
    );
  if (organizations.length === 0) {
    return (
      <main id="main" tabIndex={-1} className="auth-page">
        <CreateOrganizationForm
          onCreated={(org) => {
            window.localStorage.setItem(ORG_KEY, org.id);
            setChosen(org.id);
            navigate('/patients');
          }}
        />
        <MyInvitations
          onAccepted={(id) => {
            window.localStorage.setItem(ORG_KEY, id);
            setChosen(id);
          }}
        />
        <p className="muted small center">An organization you accept appears here after the next sync.</p>
      </main>
    );
  }
  const org = organizations.find((o) => o.id === chosen) ?? organizations[0]!;
  return (
    <AppShell
      user={user}
      offline={offline}
      org={org}
      organizations={organizations}
      onSwitch={(id) => {
        window.localStorage.setItem(ORG_KEY, id);
        setChosen(id);
      }}
    />
  );
}
