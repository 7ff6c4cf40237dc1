// Real HTTP(S) targets for runner tests: port 0 on loopback, routes as plain handlers, every
// request recorded (so a test can see the headers a check sent), closed with the test.
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { once } from 'node:events';
import type { AddressInfo, Socket } from 'node:net';
import type { TestContext } from 'node:test';
import type { TestCert } from '../helpers/tls-certs.ts';

export type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

export interface Target {
  /** `http://127.0.0.1:<port>` (or https). */
  url: string;
  port: number;
  requests: Array<{ method: string; path: string; headers: IncomingMessage['headers']; body: string }>;
}

export async function startTarget(t: TestContext, routes: Record<string, Handler>, tls?: TestCert): Promise<Target> {
  const requests: Target['requests'] = [];
  const listener = (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString();
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      requests.push({ method: req.method ?? '', path, headers: req.headers, body });
      const handler = routes[path];
      if (handler) handler(req, res, body);
      else res.writeHead(404).end('not found');
    });
  };
  const server: Server = tls ? createHttpsServer({ key: tls.key, cert: tls.cert }, listener) : createHttpServer(listener);
  const sockets = new Set<Socket>();
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.after(async () => {
    // Hanging and trickling handlers keep sockets open; end them so the test can finish.
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const port = (server.address() as AddressInfo).port;
  return { url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`, port, requests };
}

export function json(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(value));
}
