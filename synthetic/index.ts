// The public face of synthetic/: check definitions (schemas, types, validation), schedules, and
// runCheck, the scheduler, and what a run becomes in the store. API routes build on these alone.
export type { Check, CheckTypeName, HttpCheck, MultistepCheck, TlsCheck, TcpCheck, DnsCheck } from './types/index.ts';
export {
  CheckSchema, HttpCheckSchema, MultistepCheckSchema, TlsCheckSchema, TcpCheckSchema, DnsCheckSchema, CHECK_TYPE_NAMES, isCheckTypeName,
} from './types/index.ts';
export type { Diagnostic, ValidateOptions } from './types/check-type.ts';
export type { Assertion, AssertionKind, Extraction, HttpRequestDefinition, StepDefinition } from './schema.ts';
export { AssertionSchema, HttpRequestSchema, StepSchema, DEFAULTS, LIMITS } from './schema.ts';
export type { CheckRunResult, StepResult, AssertionResult, Phases, PhaseName, RunError, RunErrorCode, TlsInfo } from './result-schema.ts';
export { CheckRunResultSchema, StepResultSchema, AssertionResultSchema, PhasesSchema, RunErrorSchema, RUN_ERROR_CODES } from './result-schema.ts';
export { validateCheck, validateChecks, schemaDiagnostics } from './validate.ts';
export type { ValidationResult } from './validate.ts';
export { parseSchedule, nextRunAfter, nextCronAfter, scheduleOffsetMs, spreadFraction, SCHEDULE_LIMITS } from './schedule.ts';
export type { Schedule } from './schedule.ts';
export { runCheck, userAgent } from './run-check.ts';
export type { RunDeps } from './run-check.ts';
export {
  parseAllowPrivate, addressRefusal, classifyAddress, checkUrl, guardedLookup, inRange, DEFAULT_ADDRESS_POLICY,
} from './address-policy.ts';
export type { AddressPolicy, AllowPrivate, AddressClass } from './address-policy.ts';
export { CheckScheduler, MAX_SLEEP_MS } from './scheduler.ts';
export type { SchedulerOptions, SchedulerTimers, RunStart } from './scheduler.ts';
export { parseCheckFiles, formatDiagnostic, checksToYaml } from './check-files.ts';
export { canonicalJson } from './canonical-json.ts';
export type { CheckFile, FileDiagnostic, LoadedCheck, CheckFilesResult } from './check-files.ts';
export { runToApiCall, runToRecord, runErrorLine, checkRoute, checkService, CHECK_ROUTE_PREFIX } from './to-records.ts';
