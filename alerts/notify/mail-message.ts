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
  /**
   * A stable Message-ID, `<token@host>`: a re-send after a crash (delivery is at-least-once)
   * carries the same one, so mail systems can recognise the duplicate. Nodemailer's own when absent.
   */
  messageId?: string;
  /** Message-IDs this one follows (References / In-Reply-To), so a group's emails form one thread. */
  references?: string[];
}
