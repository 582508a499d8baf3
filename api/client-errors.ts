// Requests Node's HTTP parser refuses before Express sees them (a URL or headers over its 16 KB
// limit, bytes that are not HTTP): answered with Stripe's error object like every other 4xx,
// instead of Node's bare status line.
import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';

interface ParserError extends Error {
  code?: string;
}

export function stripeClientErrors(server: Server): void {
  server.on('clientError', (error: ParserError, socket: Duplex) => {
    if (!socket.writable || error.code === 'ECONNRESET') {
      socket.destroy();
      return;
    }
    const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
    const status = tooLarge ? 431 : 400;
    const reason = tooLarge ? 'Request Header Fields Too Large' : 'Bad Request';
    const message = tooLarge
      ? 'The request line or headers are too large (16 KB at most).'
      : 'The request is not valid HTTP.';
    const body = JSON.stringify({ error: { type: 'invalid_request_error', message } });
    socket.end(
      `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
}
