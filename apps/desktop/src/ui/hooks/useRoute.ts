/**
 * Hash routes (`#/patients/abc`): the desktop serves one page, and a reload
 * or the back button keeps the screen, for the person who opened it
 * (`claimRoute`).
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

/** The tab's key for the person whose screen the hash shows: a user id, never patient data. */
const ROUTE_OWNER_KEY = 'clinicsync.route-owner';

/**
 * Called when `userId`'s session is active, before their workspace renders.
 * The screen in the hash belongs to the person who opened it: the same person
 * signing in again (after a lock, a reload or the browser's leader tab
 * closing) comes back to it, but someone else signing in on a shared computer
 * starts on the patient list, never on the previous person's open chart or
 * form, where what they type next would go to a patient they did not choose.
 * Kept per tab (`sessionStorage`), so a reload keeps it and closing the tab
 * forgets it; where that storage is refused, the screen is kept as before.
 */
export function claimRoute(userId: string): void {
  let owner: string | null;
  try {
    owner = window.sessionStorage.getItem(ROUTE_OWNER_KEY);
    if (owner === userId) return;
    window.sessionStorage.setItem(ROUTE_OWNER_KEY, userId);
  } catch {
    return;
  }
  // The workspace mounts afresh for a new person (keyed by user) and reads the hash then: no hashchange needed.
  if (owner !== null && window.location.hash !== '')
    window.history.replaceState(null, '', `${window.location.pathname}${window.location.search}`);
}
