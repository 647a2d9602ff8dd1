/**
 * Server secrets: the key that signs auth tokens (JWT, HS256) and pull cursors.
 * From `CLINICSYNC_JWT_SECRET` when set (several instances must share it), else
 * generated once into `DATA_DIR/server-secret.key` with mode 0600.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export type Secrets = {
  /** HMAC key for auth tokens. */
  readonly jwtKey: Uint8Array;
  /** HMAC key for pull cursors, derived separately so one key never signs two kinds of thing. */
  readonly cursorKey: Uint8Array;
};

const MIN_SECRET_BYTES = 32;

export function secretsFromMaterial(material: Uint8Array): Secrets {
  if (material.length < MIN_SECRET_BYTES) throw new Error(`the server secret must be at least ${MIN_SECRET_BYTES} bytes`);
  return { jwtKey: deriveKey(material, 'auth-token'), cursorKey: deriveKey(material, 'pull-cursor') };
}

function deriveKey(material: Uint8Array, purpose: string): Uint8Array {
  // Key separation: HMAC(material, purpose). Runs once at start-up, so Node's sync crypto is fine.
  return new Uint8Array(createHmac('sha256', material).update(`clinicsync:${purpose}`).digest());
}

/**
 * Loads the secret from env; else from `shared` (the database of a
 * PostgreSQL deployment, so its instances agree); else from the data folder,
 * creating it there on first start.
 */
export async function loadSecrets(options: { env: NodeJS.ProcessEnv; dataDir: string; shared?: () => Promise<string> }): Promise<Secrets> {
  const fromEnv = options.env.CLINICSYNC_JWT_SECRET;
  if (fromEnv) return secretsFromMaterial(Buffer.from(fromEnv, 'utf8'));
  if (options.shared) return secretsFromMaterial(Buffer.from(await options.shared(), 'utf8'));
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
  return secretsFromMaterial(Buffer.from(readFileSync(file, 'utf8').trim(), 'utf8'));
}

/** Fixed secrets for tests. */
export function testSecrets(): Secrets {
  return secretsFromMaterial(Buffer.alloc(MIN_SECRET_BYTES, 7));
}
