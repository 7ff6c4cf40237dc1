// Coded errors: verbs throw these, one error handler maps them to HTTP.

export type ErrorCode =
  | 'TELLTALE_ERR_BAD_REQUEST'
  | 'TELLTALE_ERR_BAD_TIME_RANGE'
  | 'TELLTALE_ERR_NOT_FOUND'
  | 'TELLTALE_ERR_UNAVAILABLE'
  | 'TELLTALE_ERR_CHECK_INVALID'
  | 'TELLTALE_ERR_CHECK_NOT_FOUND'
  | 'TELLTALE_ERR_CHECK_EXISTS'
  | 'TELLTALE_ERR_CHECK_OWNED_BY_CODE';

const STATUS: Record<ErrorCode, number> = {
  TELLTALE_ERR_BAD_REQUEST: 400,
  TELLTALE_ERR_BAD_TIME_RANGE: 400,
  TELLTALE_ERR_NOT_FOUND: 404,
  TELLTALE_ERR_UNAVAILABLE: 503,
  TELLTALE_ERR_CHECK_INVALID: 400,
  TELLTALE_ERR_CHECK_NOT_FOUND: 404,
  TELLTALE_ERR_CHECK_EXISTS: 409,
  TELLTALE_ERR_CHECK_OWNED_BY_CODE: 409,
};

export class TelltaleError extends Error {
  readonly statusCode: number;
  constructor(readonly code: ErrorCode, message: string) {
    super(message);
    this.statusCode = STATUS[code];
  }
}
