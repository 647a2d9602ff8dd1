/**
 * Names of the people this device has met (the signed-in user, members added
 * by email, device owners in the admin view). Members rows carry only a user
 * id, so the members page and the history view look names up here; an
 * unknown id is shown as "a member". Staff names only, never patient data.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

const fileSchema = z.record(z.string(), z.string().max(200));

export type PeopleDirectory = {
  nameOf(userId: string): string | null;
  remember(userId: string, name: string): void;
};

/** A directory persisted to `<dataDir>/people.json`. */
export function openPeopleDirectory(dataDir: string): PeopleDirectory {
  const path = join(dataDir, 'people.json');
  const names = new Map<string, string>();
  if (existsSync(path)) {
    const parsed = fileSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
    // A damaged file only costs names on screen; start over rather than fail the launch.
    if (parsed.success) for (const [id, name] of Object.entries(parsed.data)) names.set(id, name);
  }
  return {
    nameOf: (userId) => names.get(userId) ?? null,
    remember: (userId, name) => {
      if (names.get(userId) === name) return;
      names.set(userId, name.slice(0, 200));
      writeFileSync(`${path}.tmp`, JSON.stringify(Object.fromEntries(names)), { mode: 0o600 });
      renameSync(`${path}.tmp`, path);
    },
  };
}
