// The demo's mail server: a real SMTP server (the smtp-server package) on loopback that keeps
// every alert and report email Telltale sends as an .eml file and says so on the console.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';

const port = Number(process.env.DEMO_SMTP_PORT ?? 2525);
const dir = process.env.DEMO_MAIL_DIR ?? 'data/demo-mail';
mkdirSync(dir, { recursive: true });
let count = 0;

const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  logger: false,
  onData(stream, session, callback) {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      count += 1;
      const file = join(dir, `${String(count).padStart(3, '0')}.eml`);
      writeFileSync(file, raw);
      // Subjects are RFC 2047 encoded when they hold non-ASCII; the raw line is enough to tell them apart.
      const subject = /^Subject: (.*)$/im.exec(raw)?.[1] ?? '(no subject)';
      const to = session.envelope.rcptTo.map((r) => r.address).join(', ');
      console.log(`mail caught for ${to}: ${subject}\n  saved to ${file} (open it in a mail client)`);
      callback();
    });
  },
});
server.listen(port, '127.0.0.1', () => console.log(`demo mail catcher on smtp://127.0.0.1:${port}, saving to ${dir}`));
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => server.close(() => process.exit(0)));
