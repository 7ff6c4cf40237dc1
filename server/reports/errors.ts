// Coded errors of the SLO and report API: the app's codes, plus every problem of an invalid
// definition (the error handler sends `diagnostics` along).
import type { Diagnostic } from '../../reports/index.ts';
import { TelltaleError, type ErrorCode } from '../errors.ts';

export class ReportsError extends TelltaleError {
  constructor(code: ErrorCode, message: string, readonly diagnostics: Diagnostic[] = []) {
    super(code, message);
  }
}
