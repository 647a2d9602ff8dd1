/**
 * Where a Node server's secret comes from: `CLINICSYNC_JWT_SECRET` when set
 * (several instances must share it), else generated once into
 * `DATA_DIR/server-secret.key` with mode 0600.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MIN_SECRET_BYTES, secretsFromMaterial, type Secrets } from '../secrets.ts';
import { nodeHashing } from './node-hashing.ts';

/**
 * Loads the secret from env; else from `shared` (the database of a
 * PostgreSQL deployment, so its instances agree); else from the data folder,
 * creating it there on first start.
 */
export async function loadSecrets(options: {
  env: NodeJS.ProcessEnv;
  dataDir: string;
  shared?: () => Promise<string>;
}): Promise<Secrets> {
  const fromEnv = options.env.CLINICSYNC_JWT_SECRET;
  if (fromEnv) return secretsFromMaterial(Buffer.from(fromEnv, 'utf8'), nodeHashing);
  if (options.shared) return secretsFromMaterial(Buffer.from(await options.shared(), 'utf8'), nodeHashing);
  const file = join(options.dataDir, 'server-secret.key');
  if (!existsSync(file)) {
    mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
    // `wx` fails if another instance created it meanwhile; then we read theirs.
    try {
      writeFileSync(file, randomBytes(48).toString('base64url'), { mode: 0o600, flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  chmodSync(file, 0o600);
  return secretsFromMaterial(Buffer.from(readFileSync(file, 'utf8').trim(), 'utf8'), nodeHashing);
}

/** Fixed secrets for tests. */
export function testSecrets(): Secrets {
  return secretsFromMaterial(Buffer.alloc(MIN_SECRET_BYTES, 7), nodeHashing);
}
