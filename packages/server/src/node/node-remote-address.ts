/** The caller's address on `@hono/node-server`: the socket's remote address. */
import { getConnInfo } from '@hono/node-server/conninfo';
import type { RemoteAddress } from '../server-deps.ts';

export const nodeRemoteAddress: RemoteAddress = (c) => getConnInfo(c).remote.address;
