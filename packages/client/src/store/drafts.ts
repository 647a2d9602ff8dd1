/**
 * Drafts: a form's values kept while someone types, so locking the app or
 * leaving the page loses nothing (docs/conflict-resolution.md "Drafts").
 * They never sync: a draft is this person's unfinished typing on this device.
 */
import { isStorableText } from '@clinicsync/protocol';
import { LocalValidationError } from '../errors.ts';
import type { StoreContext } from './store-context.ts';

export type Draft = {
  readonly key: string;
  readonly values: Readonly<Record<string, string>>;
  readonly updatedAt: string;
};

const KEY = /^[A-Za-z0-9_:.-]{1,200}$/;
const MAX_FIELDS = 100;
const MAX_VALUE = 20_000;

function checkKey(key: string): void {
  if (!KEY.test(key))
    throw new LocalValidationError('A draft key is 1–200 letters, digits and _:.-', [
      { path: 'key', code: 'invalid_format' },
    ]);
}

/** Saves (replaces) a draft. Throws LocalValidationError for a bad key or values that are not short strings. */
export function saveDraft(ctx: StoreContext, key: string, values: Readonly<Record<string, unknown>>): Draft {
  checkKey(key);
  const entries = Object.entries(values);
  const bad = entries
    .filter(([name, v]) => typeof v !== 'string' || v.length > MAX_VALUE || !isStorableText(v) || !KEY.test(name))
    .map(([name]) => name);
  if (entries.length > MAX_FIELDS || bad.length > 0) {
    throw new LocalValidationError(
      'A draft holds up to 100 text values.',
      (bad.length > 0 ? bad : ['values']).slice(0, 10).map((path) => ({ path, code: 'invalid_type' })),
    );
  }
  const updatedAt = ctx.clock.now().toISOString();
  ctx.db.run(
    'INSERT INTO _drafts (key, data, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at',
    [key, JSON.stringify(values), updatedAt],
  );
  return { key, values: values as Record<string, string>, updatedAt };
}

/** The draft saved under `key`, or undefined. */
export function readDraft(ctx: StoreContext, key: string): Draft | undefined {
  checkKey(key);
  const row = ctx.db.get('SELECT data, updated_at FROM _drafts WHERE key = ?', [key]);
  return row
    ? { key, values: JSON.parse(String(row.data)) as Record<string, string>, updatedAt: String(row.updated_at) }
    : undefined;
}

/** Forgets a draft (saved, or cancelled on purpose); nothing happens when there is none. */
export function discardDraft(ctx: StoreContext, key: string): void {
  checkKey(key);
  ctx.db.run('DELETE FROM _drafts WHERE key = ?', [key]);
}

const ID_IN_KEY = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/**
 * Forgets every draft whose key names one of `ids` (a record, a conflict, an
 * organization): what was typed about an organization the person left must
 * leave the computer with its rows. Returns how many went.
 */
export function discardDraftsNaming(ctx: StoreContext, ids: ReadonlySet<string>): number {
  let discarded = 0;
  for (const row of ctx.db.all('SELECT key FROM _drafts')) {
    const key = String(row.key);
    const named = key.match(ID_IN_KEY) ?? [];
    if (named.some((id) => ids.has(id.toLowerCase())))
      discarded += ctx.db.run('DELETE FROM _drafts WHERE key = ?', [key]).changes;
  }
  return discarded;
}
