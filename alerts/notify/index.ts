// The public face of notification delivery: renderers the evaluator calls when it enqueues,
// the notifiers and the outbox delivery loop the composition root starts.
export { alertMailMessage, mailThreadIds, renderAlertEmail, renderAlertText } from './render-email.ts';
export type { RenderedEmail } from './render-email.ts';
export { renderAlertHtml } from './render-email-html.ts';
export { alertSubject } from './email-view.ts';
export { ZERO_TIME, alertmanagerPostableAlerts, alertmanagerWebhookPayload, commonPairs } from './webhook-payload.ts';
export type { PostableAlert, WebhookAlert, WebhookPayload } from './webhook-payload.ts';
export { isValidMailAddress, isValidMessageId, parseAlertmanagerBody, parseMailMessage, parseWebhookBody } from './bodies.ts';
export type { AlertmanagerBody, WebhookBody } from './bodies.ts';
export type { DeliveryResult, Notifier } from './notifier.ts';
export { createEmailNotifier, classifySmtpError } from './email-notifier.ts';
export type { EmailNotifierOptions } from './email-notifier.ts';
export { createWebhookNotifier } from './webhook-notifier.ts';
export type { WebhookNotifierOptions } from './webhook-notifier.ts';
export { alertsEndpoint, createAlertmanagerNotifier } from './alertmanager-notifier.ts';
export { DEFAULT_BACKOFF, backoffDelayMs, decideRetry, seededRandom } from './backoff.ts';
export type { BackoffPolicy, RetryDecision } from './backoff.ts';
export { OutboxDelivery, unconfiguredError } from './delivery.ts';
export type { DeliveryTimers, OutboxDeliveryOptions } from './delivery.ts';
export type { MailAttachment, MailMessage } from './mail-message.ts';
