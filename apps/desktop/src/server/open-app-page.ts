/**
 * `GET /`: the one page where the printed open code becomes the launch cookie
 * (launch-access.ts, PROTOCOL §9).
 *
 * - `/?code=<the current code>`: uses the code up, sets the HttpOnly,
 *   SameSite=Strict cookie and redirects (303) to `/?key=<the page key>`, so
 *   the code leaves the address bar; the page keeps the key in its origin's
 *   storage and takes it out of the address (ui/api/local-client.ts). The
 *   browser keeps a `#/route` fragment across the redirect. A browser that
 *   already has the cookie is redirected to `/` whatever the code, without
 *   the key: it got the key when it used its code, and the cookie alone (which
 *   the browser also sends to other ports) must never fetch the key.
 * - `/` with the cookie: the app.
 * - `/` without it: a page that says how to open the app, with no secret,
 *   no code and no data. A wrong or old code gets the same page, 403.
 */
import type { Context } from 'hono';
import { hasLaunchCookie } from './guard-local-request.ts';
import { PAGE_KEY_PARAM } from '../shared/page-key.ts';
import { CODE_PARAM, launchCookie, type LaunchAccess } from './launch-access.ts';

export type OpenAppOptions = {
  readonly port: () => number;
  readonly access: LaunchAccess;
  /** The app's page (no secret in it). */
  readonly page: () => string;
};

/** What a browser without the cookie sees: how to open the app, nothing else. Static, so it leaks nothing. */
export const HOW_TO_OPEN_PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <meta name="color-scheme" content="light" />
    <title>Open ClinicSync</title>
    <link rel="icon" href="data:," />
  </head>
  <body>
    <main>
      <h1>Open ClinicSync from its link</h1>
      <p>This window cannot show ClinicSync yet. For the safety of patient records, the app opens only
      from the link it gives the person who started it.</p>
      <p>Open the link printed after <code>ClinicSync desktop:</code> where the app was started, or the one
      saved in the file <code>desktop-url</code> in its data folder. Each link opens one browser: once used,
      the app prints the next one and saves it in that file.</p>
    </main>
  </body>
</html>
`;

/** Handles `GET /` as described above. */
export function openAppPage(options: OpenAppOptions) {
  return function serveOpenAppPage(c: Context) {
    const port = options.port();
    const code = c.req.query(CODE_PARAM);
    if (code !== undefined) {
      // The code is the proof, not the cookie: a fresh one hands the page key over even to a browser that has the
      // cookie (its storage may have lost the key, which the cookie alone never fetches).
      if (options.access.redeem(code)) {
        c.header('Set-Cookie', launchCookie(port, options.access.secret));
        return c.redirect(`/?${PAGE_KEY_PARAM}=${encodeURIComponent(options.access.pageKey)}`, 303);
      }
      // A browser already let in needs no code: a used link opened there again just opens the app.
      if (hasLaunchCookie(c.req.header('cookie'), port, options.access.secret)) return c.redirect('/', 303);
      return c.html(HOW_TO_OPEN_PAGE, 403);
    }
    if (!hasLaunchCookie(c.req.header('cookie'), port, options.access.secret)) return c.html(HOW_TO_OPEN_PAGE, 200);
    return c.html(options.page());
  };
}
