/**
 * Waits until a Node server listens. A failure to listen (the port is taken,
 * the address is not one of this computer's, no permission) becomes an Error
 * whose message is one sentence for the person who started the command,
 * instead of an unhandled 'error' event that ends the process with a stack
 * trace. Shared by the three commands (server, edge runner, desktop).
 */
import type { Server } from 'node:net';

export type ListenAddress = { readonly host: string; readonly port: number };

/** Resolves once `server` listens; rejects with a readable Error if it cannot. */
export function listening(server: Server, where: ListenAddress): Promise<void> {
  if (server.listening) return Promise.resolve();
  return new Promise((done, fail) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      fail(new Error(listenFailure(error, where), { cause: error }));
    };
    const onListening = () => {
      server.off('error', onError);
      done();
    };
    server.once('error', onError);
    server.once('listening', onListening);
  });
}

/** What went wrong, in words: the port and address are the ones asked for, never anything secret. */
export function listenFailure(error: NodeJS.ErrnoException, { host, port }: ListenAddress): string {
  switch (error.code) {
    case 'EADDRINUSE':
      return `port ${port} on ${host} is already in use by another program; choose another port`;
    case 'EACCES':
      return `no permission to listen on port ${port} (ports below 1024 need extra rights); choose another port`;
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_FAIL':
    case 'EAI_NONAME':
      return `${host} is not an address of this computer; choose another host`;
    default:
      return `could not listen on ${host}:${port} (${error.code ?? error.message})`;
  }
}
