/** JSON replies. Every API answer, including errors, is JSON with `Cache-Control: no-store`. */
import type { ServerResponse } from 'node:http';
import type { HttpErrorBody } from '../../../src/protocol/messages.js';

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    ...headers,
  });
  res.end(res.req.method === 'HEAD' ? undefined : text);
}

export function sendError(res: ServerResponse, status: number, body: HttpErrorBody, headers: Record<string, string> = {}): void {
  sendJson(res, status, body, headers);
}
