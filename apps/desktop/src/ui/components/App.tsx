import { useActivityPing } from '../hooks/useActivityPing.ts';
import { flushDrafts } from '../hooks/useDraft.ts';
import { useFeed } from '../hooks/useFeed.tsx';
import { claimRoute } from '../hooks/useRoute.ts';
import { useSession } from '../hooks/useSession.ts';
import { SessionEndedScreen } from './SessionEndedScreen.tsx';
import { SyncStatusBar } from './SyncStatusBar.tsx';
import { WelcomeScreen } from './WelcomeScreen.tsx';
import { Workspace } from './Workspace.tsx';

/** The whole page: the screen for the session's state, with the sync status bar always visible. */
export function App() {
  const { snapshot } = useFeed();
  const { lock } = useSession();
  const session = snapshot?.session;
  useActivityPing(session?.state === 'active');

  let body;
  if (!session)
    body = (
      <p className="loading" aria-busy="true">
        Starting ClinicSync…
      </p>
    );
  else if (session.state === 'signed_out') body = <WelcomeScreen />;
  else if (session.state === 'expired') body = <SessionEndedScreen user={session.user} />;
  else {
    // Before the workspace reads the route: another person's open screen is not this person's (useRoute.ts).
    claimRoute(session.user.id);
    body = <Workspace key={session.user.id} user={session.user} offline={session.offline} />;
  }

  return (
    <div className="app">
      <button type="button" className="skip-link" onClick={() => document.getElementById('main')?.focus()}>
        Skip to content
      </button>
      <SyncStatusBar onSignIn={session?.state === 'active' ? () => void flushDrafts().then(lock) : undefined} />
      {body}
    </div>
  );
}
