// A real SMTP server (the smtp-server package) on 127.0.0.1 that keeps what it receives: the
// envelope it saw (MAIL FROM, every RCPT TO) and the raw message.
import { SMTPServer } from 'smtp-server';

export interface CaughtMail {
  mailFrom: string;
  rcptTo: string[];
  raw: string;
  /** Whether the session was upgraded to TLS before the message. */
  secure: boolean;
  /** The user that authenticated, if any. */
  user: string | null;
}

export interface SmtpCatcher {
  port: number;
  mails: CaughtMail[];
  /** Every RCPT TO the server was offered, accepted or not. */
  rcptSeen: string[];
  close(): Promise<void>;
}

export interface CatcherOptions {
  port?: number;
  /** A refusal for a recipient, e.g. `{ code: 550, message: '5.1.1 unknown user' }`. */
  refuse?: (address: string) => { code: number; message: string } | null;
  /** Offer STARTTLS with this certificate (otherwise STARTTLS is disabled). */
  tls?: { key: string; cert: string };
  /** Require AUTH with these credentials (only after STARTTLS). */
  auth?: { user: string; pass: string };
}

export async function startSmtpCatcher(options: CatcherOptions = {}): Promise<SmtpCatcher> {
  const mails: CaughtMail[] = [];
  const rcptSeen: string[] = [];
  const server = new SMTPServer({
    authOptional: options.auth === undefined,
    disabledCommands: options.tls ? [] : ['STARTTLS'],
    ...(options.tls ? { key: options.tls.key, cert: options.tls.cert } : {}),
    logger: false,
    onAuth(auth, _session, callback) {
      const ok = options.auth !== undefined && auth.username === options.auth.user && auth.password === options.auth.pass;
      if (ok) callback(null, { user: auth.username });
      else callback(Object.assign(new Error('5.7.8 authentication failed'), { responseCode: 535 }));
    },
    onRcptTo(address, _session, callback) {
      rcptSeen.push(address.address);
      const refusal = options.refuse?.(address.address) ?? null;
      if (refusal) {
        callback(Object.assign(new Error(refusal.message), { responseCode: refusal.code }));
        return;
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        mails.push({
          mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          rcptTo: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
          secure: session.secure,
          user: typeof session.user === 'string' ? session.user : null,
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const address = server.server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return {
    port: address.port,
    mails,
    rcptSeen,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
