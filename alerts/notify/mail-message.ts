// The body of an `email` outbox message: rendered when enqueued, so what is delivered (maybe
// hours later, after the mail server came back) is exactly what was decided. Alerts and
// reports both send through it.

/** A file attached to an email (a report's CSV). */
export interface MailAttachment {
  filename: string;
  contentType: string;
  /** UTF-8 text content. */
  content: string;
}

/** One email, ready to hand to the mail server. */
export interface MailMessage {
  to: string[];
  /** One line; the renderer has already stripped CR/LF. */
  subject: string;
  text: string;
  html: string;
  attachments?: MailAttachment[];
}
