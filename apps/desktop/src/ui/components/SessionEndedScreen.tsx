import type { User } from '@clinicsync/protocol';
import { useSession } from '../hooks/useSession.ts';
import { SignInForm } from './SignInForm.tsx';

/** The session ended (time-out or the server said so): patient data is hidden until someone signs in; sync continues. */
export function SessionEndedScreen({ user }: { readonly user: User }) {
  const { signOut } = useSession();
  return (
    <main id="main" tabIndex={-1} className="auth-page">
      <section className="card auth-card" aria-labelledby="ended-title">
        <h1 id="ended-title">Your session has ended</h1>
        <p className="muted">
          For patients' privacy, ClinicSync locks when it is left alone for a while or when you lock it. Records keep
          syncing in the background. Sign in again to continue, {user.name}.
        </p>
        <SignInForm email={user.email} submitLabel="Sign in again" />
        <p className="switch-mode">
          Not {user.name}?{' '}
          <button type="button" className="link-button" onClick={() => void signOut()}>
            Sign in as someone else
          </button>
        </p>
      </section>
    </main>
  );
}
