/** Modules the Workers runtime and the build provide, typed as far as this package uses them. */
declare module 'node:crypto' {
  type Hash = { update(data: string, encoding: 'utf8'): Hash; digest(): Uint8Array; digest(encoding: 'hex'): string };
  export function createHash(algorithm: 'sha256'): Hash;
  export function createHmac(algorithm: 'sha256', key: Uint8Array): Hash;
}

/** The Swagger UI files by name, base64-encoded (built by `build-worker.ts`). */
declare module 'clinicsync:swagger-assets' {
  const assets: Readonly<Record<string, string>>;
  export default assets;
}

/** The browser app's built files by path, base64-encoded with their content types; null when its build failed (build-worker.ts). */
declare module 'clinicsync:browser-app' {
  const app: {
    readonly version: string;
    readonly files: Readonly<Record<string, { readonly type: string; readonly base64: string }>>;
  } | null;
  export default app;
}
