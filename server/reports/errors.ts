// Coded errors of the SLO and report API. server/errors.ts has no SLO codes yet, so these carry
// their own status and code; the app's error handler answers any error with a status below 500
// with its `code` and message.
import type { Diagnostic } from '../../reports/index.ts';

export type ReportsErrorCode =
  | 'TELLTALE_ERR_SLO_NOT_FOUND'
  | 'TELLTALE_ERR_SLO_EXISTS'
  | 'TELLTALE_ERR_SLO_OWNED_BY_CODE'
  | 'TELLTALE_ERR_SLO_INVALID'
  | 'TELLTALE_ERR_SCHEDULE_NOT_FOUND'
  | 'TELLTALE_ERR_SCHEDULE_EXISTS'
  | 'TELLTALE_ERR_SCHEDULE_INVALID'
  | 'TELLTALE_ERR_SCHEDULE_OWNED_BY_CODE';

const STATUS: Record<ReportsErrorCode, number> = {
  TELLTALE_ERR_SLO_NOT_FOUND: 404,
  TELLTALE_ERR_SLO_EXISTS: 409,
  TELLTALE_ERR_SLO_OWNED_BY_CODE: 409,
  TELLTALE_ERR_SLO_INVALID: 400,
  TELLTALE_ERR_SCHEDULE_NOT_FOUND: 404,
  TELLTALE_ERR_SCHEDULE_EXISTS: 409,
  TELLTALE_ERR_SCHEDULE_INVALID: 400,
  TELLTALE_ERR_SCHEDULE_OWNED_BY_CODE: 409,
};

export class ReportsError extends Error {
  readonly statusCode: number;
  constructor(readonly code: ReportsErrorCode, message: string, readonly diagnostics: Diagnostic[] = []) {
    super(message);
    this.statusCode = STATUS[code];
  }
}
