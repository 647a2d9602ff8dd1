import { useState } from 'react';
import { CreateAccountForm } from './CreateAccountForm.tsx';
import { SignInForm } from './SignInForm.tsx';

/** The first screen: sign in, or create an account. */
export function WelcomeScreen() {
  const [mode, setMode] = useState<'sign_in' | 'create'>('sign_in');
  return (
    <main id="main" tabIndex={-1} className="auth-page">
      <section className="card auth-card" aria-labelledby="auth-title">
        <h1 id="auth-title">{mode === 'sign_in' ? 'Sign in to ClinicSync' : 'Create your account'}</h1>
        <p className="muted">Patient records stay on this computer and sync when a connection is available.</p>
        {mode === 'sign_in' ? <SignInForm /> : <CreateAccountForm />}
        <p className="switch-mode">
          {mode === 'sign_in' ? 'New to ClinicSync? ' : 'Already have an account? '}
          <button
            type="button"
            className="link-button"
            onClick={() => setMode(mode === 'sign_in' ? 'create' : 'sign_in')}
          >
            {mode === 'sign_in' ? 'Create an account' : 'Sign in'}
          </button>
        </p>
      </section>
    </main>
  );
}
