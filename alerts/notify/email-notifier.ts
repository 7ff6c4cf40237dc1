// The `email` channel: sends a stored MailMessage over SMTP with nodemailer. One connection
// per message (alerts are rare; a pool would hold a socket to a server that may be gone). For
// smtp:// URLs nodemailer upgrades with STARTTLS whenever the server offers it; smtps:// is TLS
// from the start. Every wait is bounded so a silent server cannot hold a delivery slot.
import type { ConnectionOptions } from 'node:tls';
import { createTransport } from 'nodemailer';
import { parseMailMessage } from './bodies.ts';
import type { DeliveryResult, Notifier } from './notifier.ts';
import { errorText } from './notifier.ts';
import { oneLine } from './text.ts';

export interface EmailNotifierOptions {
  /** `smtp://user:pass@host:587` (STARTTLS when offered) or `smtps://…:465`. Never logged. */
  smtpUrl: string;
  /** The From header, e.g. `Telltale <alerts@example.com>`. */
  from: string;
  connectionTimeoutMs?: number;
  greetingTimeoutMs?: number;
  /** Longest silence from the server in the middle of a session. */
  socketTimeoutMs?: number;
  /** TLS options (a private CA, for instance). */
  tls?: ConnectionOptions;
}

interface SmtpError {
  code?: string;
  responseCode?: number;
  response?: string;
  command?: string;
  permanent?: boolean;
  originalCode?: string;
  message?: string;
}

// Faults of the connection or of our configuration, not of this message: retried until the
// message's maximum age, so mail queued during an outage or a bad password is sent once fixed.
const TRANSIENT_CODES = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ETLS', 'EPROXY', 'EAUTH', 'ENOAUTH', 'EOAUTH2', 'EABORT']);

/** Classifies an SMTP failure: 4xx and connection faults retryable, 5xx for this message failed. */
export function classifySmtpError(err: unknown): DeliveryResult {
  const e = (typeof err === 'object' && err !== null ? err : {}) as SmtpError;
  const reply = e.response !== undefined ? oneLine(e.response, 200) : '';
  const parts = [e.code, e.originalCode, e.command !== undefined ? `at ${e.command}` : undefined].filter((p): p is string => p !== undefined && p !== '');
  const error = `${parts.length > 0 ? `${parts.join(' ')}: ` : ''}${reply !== '' ? reply : errorText(err, 200)}`;
  const code = e.responseCode;
  if (code !== undefined && e.code !== undefined && TRANSIENT_CODES.has(e.code)) return { outcome: 'retryable', error };
  if (code !== undefined && code >= 500 && code !== 503) return { outcome: 'failed', error };
  if (code !== undefined && code >= 400) return { outcome: 'retryable', error };
  if (e.code === 'EENVELOPE' || e.code === 'EMESSAGE' || e.code === 'ECONFIG' || e.code === 'EMAXRECIPIENTS') return { outcome: 'failed', error };
  // Anything else (refused, reset, timed out, unknown): a late or rare duplicate beats a lost alert.
  return { outcome: 'retryable', error };
}

/** A notifier for `email` outbox messages (body: MailMessage). */
export function createEmailNotifier(options: EmailNotifierOptions): Notifier {
  const transport = createTransport({
    url: options.smtpUrl,
    connectionTimeout: options.connectionTimeoutMs ?? 10_000,
    greetingTimeout: options.greetingTimeoutMs ?? 10_000,
    socketTimeout: options.socketTimeoutMs ?? 30_000,
    dnsTimeout: 10_000,
    // Bodies are rendered text: never let an attachment name a file or URL to read.
    disableFileAccess: true,
    disableUrlAccess: true,
    ...(options.tls ? { tls: options.tls } : {}),
  });
  const from = oneLine(options.from, 200);
  return {
    channel: 'email',
    async deliver(body: unknown): Promise<DeliveryResult> {
      const parsed = parseMailMessage(body);
      if (!parsed.ok) return { outcome: 'failed', error: parsed.error };
      const m = parsed.value;
      try {
        const info = await transport.sendMail({
          from,
          to: m.to,
          subject: oneLine(m.subject, 300),
          text: m.text,
          html: m.html,
          attachments: (m.attachments ?? []).map((a) => ({ filename: oneLine(a.filename, 200), contentType: oneLine(a.contentType, 100), content: a.content })),
          // RFC 3834: machine-generated, so vacation responders stay quiet.
          headers: { 'Auto-Submitted': 'auto-generated' },
          ...(m.messageId !== undefined ? { messageId: m.messageId } : {}),
          ...(m.references !== undefined && m.references.length > 0 ? { references: m.references, inReplyTo: m.references[m.references.length - 1] } : {}),
        });
        const rejected = (info.rejected ?? []).map(String);
        return rejected.length > 0 ? { outcome: 'sent', note: `refused by the mail server: ${oneLine(rejected.join(', '), 200)}` } : { outcome: 'sent' };
      } catch (err) {
        return classifySmtpError(err);
      }
    },
    async close(): Promise<void> {
      transport.close();
    },
  };
}
