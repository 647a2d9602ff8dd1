/**
 * The page key: the second half of what lets the person's browser into the
 * desktop's local API (PROTOCOL §9, docs/security.md "The clinic computer").
 * The launch cookie proves a browser opened the printed link, but browsers
 * send cookies to every port of 127.0.0.1, so a program of another OS account
 * listening on another port could receive it. The page key is handed over
 * in the address a fresh open code redirects to, and kept by the page in
 * its origin's storage, which a page of another port cannot read; the page
 * sends it back in a header with every API request, which the browser never
 * adds to anybody else's requests.
 */

/** The query parameter of the redirect after the open code that carries the page key to the page. */
export const PAGE_KEY_PARAM = 'key';

/** The request header in which the page sends the page key to the local API. */
export const PAGE_KEY_HEADER = 'x-clinicsync-page-key';
