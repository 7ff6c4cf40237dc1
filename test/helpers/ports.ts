// A loopback port that was free a moment ago: bound on port 0, then released. For a server a
// test starts itself (nginx, ClickHouse, Alertmanager) or for one nothing listens on, where
// connections are refused at once (a mail server or webhook that is down).
import { once } from 'node:events';
import { createServer } from 'node:net';

export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  await once(server, 'close');
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}
