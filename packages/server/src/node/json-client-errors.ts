/**
 * Requests Node refuses before any handler runs — a request line and headers
 * over Node's limit (16 KiB by default, `--max-http-header-size`), or bytes
 * that are not HTTP — still answer the protocol's JSON error shape with an
 * `X-Request-Id`, never Node's bare `431` or `400`. The app never sees them,
 * so this is the Node bin's part of "every answer is JSON"; the edge runtime
 * has limits of its own (docs/api.md "Limits").
 */
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { ERROR_STATUS, errorBody, type ErrorCode } from '@clinicsync/protocol';

const REASONS: Partial<Record<number, string>> = { 400: 'Bad Request', 431: 'Request Header Fields Too Large' };

/** The raw HTTP/1.1 answer for `code`: JSON body, request id, and the connection closed (its stream cannot be trusted). */
export function rawErrorResponse(code: ErrorCode, message: string, requestId: string = randomUUID()): string {
  const status = ERROR_STATUS[code];
  const body = JSON.stringify(errorBody(code, message));
  return [
    `HTTP/1.1 ${status} ${REASONS[status] ?? 'Error'}`,
    'Content-Type: application/json',
    `Content-Length: ${Buffer.byteLength(body)}`,
    `X-Request-Id: ${requestId}`,
    // As every answer of the app (app.ts): the API shares its origin with the browser app.
    'X-Content-Type-Options: nosniff',
    'Connection: close',
    '',
    body,
  ].join('\r\n');
}

export function answerClientErrorsAsJson(server: Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    // Nothing can be written to a reset socket, or after an answer has started.
    if (error.code === 'ECONNRESET' || !socket.writable || (socket as { _httpMessage?: unknown })._httpMessage) {
      socket.destroy();
      return;
    }
    const answer =
      error.code === 'HPE_HEADER_OVERFLOW'
        ? rawErrorResponse(
            'headers_too_large',
            'The request line and headers are too long. Shorten the URL (a pull cursor is at most 8192 characters).',
          )
        : rawErrorResponse('invalid_request', 'The request is not valid HTTP.');
    socket.end(answer);
  });
}
