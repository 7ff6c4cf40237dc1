// A tiny UDP DNS responder for dns-check tests: answers A and TXT questions for the names it is
// given (NXDOMAIN for others, an empty answer for other types). Enough of RFC 1035 for c-ares.
import { createSocket, type RemoteInfo } from 'node:dgram';
import { once } from 'node:events';

export type DnsZone = Record<string, { A?: string[]; TXT?: string[] }>;

export interface TestDnsServer {
  /** `127.0.0.1:<port>`, as Resolver.setServers takes it. */
  server: string;
  queries: () => number;
  close(): Promise<void>;
}

const TYPE_A = 1;
const TYPE_TXT = 16;

function readQuestion(msg: Buffer): { name: string; type: number; end: number } | null {
  const labels: string[] = [];
  let i = 12;
  while (i < msg.length && msg[i] !== 0) {
    const length = msg[i]!;
    labels.push(msg.subarray(i + 1, i + 1 + length).toString('ascii'));
    i += 1 + length;
  }
  if (i + 5 > msg.length) return null;
  return { name: labels.join('.').toLowerCase(), type: msg.readUInt16BE(i + 1), end: i + 5 };
}

function answer(type: number, rdata: Buffer): Buffer {
  const head = Buffer.alloc(12);
  head.writeUInt16BE(0xc00c, 0); // pointer to the name in the question
  head.writeUInt16BE(type, 2);
  head.writeUInt16BE(1, 4); // class IN
  head.writeUInt32BE(60, 6);
  head.writeUInt16BE(rdata.length, 10);
  return Buffer.concat([head, rdata]);
}

function respond(msg: Buffer, zone: DnsZone): Buffer | null {
  if (msg.length < 12) return null;
  const q = readQuestion(msg);
  if (!q) return null;
  const entry = zone[q.name];
  const answers: Buffer[] = [];
  if (entry && q.type === TYPE_A) {
    for (const ip of entry.A ?? []) answers.push(answer(TYPE_A, Buffer.from(ip.split('.').map(Number))));
  }
  if (entry && q.type === TYPE_TXT) {
    for (const text of entry.TXT ?? []) {
      const bytes = Buffer.from(text);
      answers.push(answer(TYPE_TXT, Buffer.concat([Buffer.from([bytes.length]), bytes])));
    }
  }
  const header = Buffer.alloc(12);
  msg.copy(header, 0, 0, 2); // same id
  header.writeUInt16BE(0x8180 | (entry ? 0 : 3), 2); // response, recursion desired + available, NOERROR or NXDOMAIN
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(answers.length, 6);
  return Buffer.concat([header, msg.subarray(12, q.end), ...answers]);
}

export async function startDnsServer(zone: DnsZone): Promise<TestDnsServer> {
  const socket = createSocket('udp4');
  let queries = 0;
  socket.on('message', (msg: Buffer, from: RemoteInfo) => {
    queries++;
    const reply = respond(msg, zone);
    if (reply) socket.send(reply, from.port, from.address);
  });
  socket.bind(0, '127.0.0.1');
  await once(socket, 'listening');
  return {
    server: `127.0.0.1:${socket.address().port}`,
    queries: () => queries,
    close: () => new Promise((resolve) => socket.close(() => resolve())),
  };
}
