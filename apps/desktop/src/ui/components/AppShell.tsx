import type { User } from '@clinicsync/protocol';
import { useEffect, useRef, type ReactNode } from 'react';
import type { OrganizationView } from '../../shared/local-api.ts';
import { navigate, useRoute, type Route } from '../hooks/useRoute.ts';
import { useSyncStatus } from '../hooks/useSyncStatus.ts';
import { AccountMenu } from './AccountMenu.tsx';
import { AppointmentBook } from './AppointmentBook.tsx';
import { ConflictInbox } from './ConflictInbox.tsx';
import { CreateOrganizationForm } from './CreateOrganizationForm.tsx';
import { DevicesPage } from './DevicesPage.tsx';
import { MembersPage } from './MembersPage.tsx';
import { OrganizationsPage } from './OrganizationsPage.tsx';
import { PatientChart } from './PatientChart.tsx';
import { PatientInOrganization } from './PatientInOrganization.tsx';
import { PatientEditor } from './PatientEditor.tsx';
import { PatientList } from './PatientList.tsx';
import { RecordHistory } from './RecordHistory.tsx';

type Props = {
  readonly user: User;
  /** Signed in without the server. */
  readonly offline: boolean;
  readonly org: OrganizationView;
  readonly organizations: readonly OrganizationView[];
  readonly onSwitch: (orgId: string) => void;
};

function screen(
  route: Route,
  org: OrganizationView,
  organizations: readonly OrganizationView[],
  onSwitch: (id: string) => void,
): ReactNode {
  const adminOnly = (node: ReactNode) =>
    org.role === 'admin' ? (
      node
    ) : (
      <p className="notice notice-info">Only administrators of {org.name} can open this page.</p>
    );
  const inPatientOrganization = (patientId: string, node: ReactNode) => (
    <PatientInOrganization patientId={patientId} org={org} organizations={organizations} onSwitch={onSwitch}>
      {node}
    </PatientInOrganization>
  );
  switch (route.screen) {
    case 'patients':
      return <PatientList org={org} />;
    case 'patient_new':
      return <PatientEditor org={org} patientId={null} />;
    case 'patient':
      return inPatientOrganization(route.id, <PatientChart org={org} patientId={route.id} />);
    case 'patient_edit':
      return inPatientOrganization(route.id, <PatientEditor org={org} patientId={route.id} />);
    case 'patient_history':
      return inPatientOrganization(
        route.id,
        adminOnly(<RecordHistory org={org} table="patients" recordId={route.id} />),
      );
    case 'appointments':
      return <AppointmentBook org={org} />;
    case 'conflicts':
      return <ConflictInbox />;
    case 'members':
      return adminOnly(<MembersPage org={org} />);
    case 'devices':
      return adminOnly(<DevicesPage org={org} />);
    case 'my_organizations':
      return <OrganizationsPage organizations={organizations} onSwitch={onSwitch} />;
    case 'organization_new':
      return (
        <CreateOrganizationForm
          onCreated={(created) => {
            onSwitch(created.id);
            navigate('/patients');
          }}
          onCancel={() => navigate('/patients')}
        />
      );
  }
}

const SECTION_OF: Readonly<Record<Route['screen'], string>> = {
  patients: 'patients',
  patient_new: 'patients',
  patient: 'patients',
  patient_edit: 'patients',
  patient_history: 'patients',
  appointments: 'appointments',
  conflicts: 'conflicts',
  members: 'members',
  devices: 'devices',
  organization_new: 'organization_new',
  my_organizations: 'my_organizations',
};

/** The signed-in frame: organization switcher, navigation, account menu and the current screen. */
export function AppShell({ user, offline, org, organizations, onSwitch }: Props) {
  const route = useRoute();
  const { status } = useSyncStatus();
  const section = SECTION_OF[route.screen];
  const mainRef = useRef<HTMLElement>(null);

  // Moving to another screen puts the keyboard focus at its start.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the screen changing is the trigger, not a value read inside.
  useEffect(() => {
    mainRef.current?.focus();
  }, [route.screen]);

  const link = (target: string, label: ReactNode, key: string) => (
    <li>
      <a href={`#/${target}`} aria-current={section === key ? 'page' : undefined}>
        {label}
      </a>
    </li>
  );
  const conflicts = (status?.openConflicts ?? 0) + (status?.deadLetters ?? 0);

  return (
    <div className="shell">
      <header className="top-bar">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">
            ✚
          </span>
          <span className="brand-name">ClinicSync</span>
        </div>
        <div className="org-switch field">
          <label htmlFor="org-select" className="visually-hidden">
            Organization
          </label>
          <select
            id="org-select"
            value={org.id}
            onChange={(e) => {
              if (e.target.value === '__new') navigate('/organizations/new');
              else onSwitch(e.target.value);
            }}
          >
            {organizations.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
            <option value="__new">New organization…</option>
          </select>
        </div>
        <nav aria-label="Main" className="main-nav">
          <ul>
            {link('patients', 'Patients', 'patients')}
            {link('appointments', 'Appointments', 'appointments')}
            {link(
              'conflicts',
              <>
                Conflicts
                {conflicts > 0 && (
                  <span className="count-badge" aria-label={`${conflicts} to review`}>
                    {conflicts}
                  </span>
                )}
              </>,
              'conflicts',
            )}
            {org.role === 'admin' && link('members', 'Members', 'members')}
            {org.role === 'admin' && link('devices', 'Devices', 'devices')}
            {link('organizations', 'Organizations', 'my_organizations')}
          </ul>
        </nav>
        <AccountMenu user={user} />
      </header>
      <main id="main" ref={mainRef} tabIndex={-1} className="content">
        {offline && (
          <p className="notice notice-info">
            You signed in without a connection to the server. Patients and appointments work as usual; adding members,
            the Devices page and record history need you to lock ClinicSync and sign in again once the server can be
            reached.
          </p>
        )}
        {screen(route, org, organizations, onSwitch)}
      </main>
    </div>
  );
}
