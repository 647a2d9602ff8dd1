import { useState, type FormEvent } from 'react';
import { LocalApiError } from '../api/local-client.ts';
import { useSession } from '../hooks/useSession.ts';
import { ErrorNotice } from './ErrorNotice.tsx';

type Props = {
  /** Fixed email when signing in again after the session ended. */
  readonly email?: string;
  readonly submitLabel?: string;
};

/** Email and password; on success the feed switches the page to the workspace. */
export function SignInForm({ email: fixedEmail, submitLabel = 'Sign in' }: Props) {
  const { signIn } = useSession();
  const [email, setEmail] = useState(fixedEmail ?? '');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<LocalApiError | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signIn({ email, password });
    } catch (failure) {
      setError(failure instanceof LocalApiError ? failure : new LocalApiError(0, 'internal', 'Could not sign in.'));
      setBusy(false);
    }
  };

  return (
    <form className="stack" onSubmit={submit} aria-label="Sign in">
      <div className="field">
        <label htmlFor="sign-in-email">Email</label>
        <input
          id="sign-in-email"
          type="email"
          autoComplete="username"
          required
          value={email}
          readOnly={fixedEmail !== undefined}
          onChange={(e) => setEmail(e.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor="sign-in-password">Password</label>
        <input
          id="sign-in-password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          autoFocus={fixedEmail !== undefined}
        />
      </div>
      <ErrorNotice error={error} />
      <button type="submit" className="button primary" disabled={busy}>
        {busy ? 'Signing in…' : submitLabel}
      </button>
    </form>
  );
}
