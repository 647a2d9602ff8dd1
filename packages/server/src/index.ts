export { createApp } from './app.ts';
export type { AppEnv } from './app-env.ts';
export {
  BROWSER_APP_CSP,
  createBrowserAppRoutes,
  type BrowserAppBundle,
  type BrowserAppFile,
  type BrowserAppSource,
} from './routes/browser-app-routes.ts';
export { DEFAULT_CONFIG, type ServerConfig } from './config.ts';
export { connectDatabase, type Database } from './db/connect.ts';
export { migrate } from './db/migrate.ts';
export { fakeClock, randomIds, systemClock, type Clock, type Ids } from './deps.ts';
export { loadSecrets, testSecrets } from './node/load-secrets.ts';
export { secretsFromMaterial, type Secrets } from './secrets.ts';
export type { ServerDeps } from './server-deps.ts';
export { startServer, type RunningServer, type StartOptions } from './start-server.ts';
