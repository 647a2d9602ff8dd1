/**
 * The sync server's base URL, read from the URL of any file of the browser
 * app. Every server serves the app at `<server>/app/` (PROTOCOL §7), and a
 * reverse proxy may put the server under a path of its own
 * (`https://intranet.example/clinicsync/`): the API is then under that path
 * too, never at the origin's root. So the base is the URL before the last
 * `/app/` of the path; without one (Vite's dev server) it is the origin.
 */
export function serverBaseOf(appFileUrl: string): string {
  const url = new URL(appFileUrl);
  const at = url.pathname.lastIndexOf('/app/');
  return at < 0 ? url.origin : `${url.origin}${url.pathname.slice(0, at)}`;
}
