import { PASSWORD_MIN_LENGTH } from '@clinicsync/protocol';
import { useState, type FormEvent } from 'react';
import { registerBodySchema } from '../../shared/local-api.ts';
import { LocalApiError } from '../api/local-client.ts';
import { useSession } from '../hooks/useSession.ts';
import { ErrorNotice } from './ErrorNotice.tsx';

const FIELD_MESSAGES: Readonly<Record<string, string>> = {
  name: 'Enter your name.',
  email: 'Enter a valid email address.',
  password: `Use at least ${PASSWORD_MIN_LENGTH} characters.`,
};

const FIELDS = ['name', 'email', 'password'] as const;

/** Creates an account on the server, then signs this device in with it. */
export function CreateAccountForm() {
  const { register, signIn } = useSession();
  const [values, setValues] = useState({ name: '', email: '', password: '' });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<LocalApiError | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setFailure(null);
    const parsed = registerBodySchema.safeParse(values);
    if (!parsed.success) {
      const next: Record<string, string> = {};
      for (const issue of parsed.error.issues) {
        const field = String(issue.path[0]);
        next[field] = FIELD_MESSAGES[field] ?? 'Not valid.';
      }
      setErrors(next);
      // The first field in the order people read the form, not the schema's order.
      const first = FIELDS.find((name) => next[name]);
      if (first) document.getElementById(`create-${first}`)?.focus();
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      await register(parsed.data);
      await signIn({ email: parsed.data.email, password: parsed.data.password });
    } catch (error) {
      setFailure(
        error instanceof LocalApiError ? error : new LocalApiError(0, 'internal', 'Could not create the account.'),
      );
      setBusy(false);
    }
  };

  const field = (name: 'name' | 'email' | 'password', label: string, type: string, autoComplete: string) => (
    <div className={`field${errors[name] ? ' field-invalid' : ''}`}>
      <label htmlFor={`create-${name}`}>{label}</label>
      <input
        id={`create-${name}`}
        type={type}
        autoComplete={autoComplete}
        required
        value={values[name]}
        aria-invalid={errors[name] ? true : undefined}
        aria-describedby={
          errors[name] ? `create-${name}-error` : name === 'password' ? 'create-password-hint' : undefined
        }
        onChange={(e) => setValues((v) => ({ ...v, [name]: e.target.value }))}
      />
      {name === 'password' && !errors.password && (
        <p className="hint" id="create-password-hint">
          At least {PASSWORD_MIN_LENGTH} characters.
        </p>
      )}
      {errors[name] && (
        <p className="field-error" id={`create-${name}-error`}>
          {errors[name]}
        </p>
      )}
    </div>
  );

  return (
    <form className="stack" onSubmit={submit} noValidate aria-label="Create account">
      {field('name', 'Your name', 'text', 'name')}
      {field('email', 'Email', 'email', 'email')}
      {field('password', 'Password', 'password', 'new-password')}
      <ErrorNotice error={failure} />
      <button type="submit" className="button primary" disabled={busy}>
        {busy ? 'Creating account…' : 'Create account'}
      </button>
    </form>
  );
}
