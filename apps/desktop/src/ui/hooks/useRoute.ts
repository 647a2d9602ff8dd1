/**
 * Hash routes (`#/patients/abc`): the desktop serves one page, and a reload
 * or the back button keeps the screen.
 */
import { useEffect, useState } from 'react';

export type Route =
  | { readonly screen: 'patients' }
  | { readonly screen: 'patient_new' }
  | { readonly screen: 'patient'; readonly id: string }
  | { readonly screen: 'patient_edit'; readonly id: string }
  | { readonly screen: 'patient_history'; readonly id: string }
  | { readonly screen: 'appointments' }
  | { readonly screen: 'conflicts' }
  | { readonly screen: 'members' }
  | { readonly screen: 'devices' }
  | { readonly screen: 'organization_new' }
  | { readonly screen: 'my_organizations' };

/** The route of a hash; unknown hashes land on the patient list. */
export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean);
  const [first, second, third] = parts;
  switch (first) {
    case 'patients':
      if (second === 'new') return { screen: 'patient_new' };
      if (second && third === 'edit') return { screen: 'patient_edit', id: second };
      if (second && third === 'history') return { screen: 'patient_history', id: second };
      if (second) return { screen: 'patient', id: second };
      return { screen: 'patients' };
    case 'appointments':
      return { screen: 'appointments' };
    case 'conflicts':
      return { screen: 'conflicts' };
    case 'members':
      return { screen: 'members' };
    case 'devices':
      return { screen: 'devices' };
    case 'organizations':
      return second === 'new' ? { screen: 'organization_new' } : { screen: 'my_organizations' };
    default:
      return { screen: 'patients' };
  }
}

/** Goes to `path` (`/patients/abc`). */
export function navigate(path: string): void {
  window.location.hash = `#${path}`;
}

/** The current route, following hash changes. */
export function useRoute(): Route {
  const [hash, setHash] = useState(window.location.hash);
  useEffect(() => {
    const onChange = () => setHash(window.location.hash);
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return parseRoute(hash);
}
