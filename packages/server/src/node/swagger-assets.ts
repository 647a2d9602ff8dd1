/** The reference page's files on Node: read from the installed `swagger-ui-dist` package, whitelisted names only. */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { swaggerAssetType } from '../openapi/swagger-page.ts';
import type { DocsAssets } from '../server-deps.ts';

export const nodeSwaggerAssets: DocsAssets = async (name) => {
  // The name is checked against the fixed list before it is joined to a path.
  if (!swaggerAssetType(name)) return undefined;
  const dir = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  return new Uint8Array(await readFile(join(dir, name)));
};
