// The public face of the alerting core: the evaluator loop, notifiers and API import from here.
export { RESOLVED_RETENTION_MS, initialState, step } from './state.ts';
export type { AlertState, AlertStatus, AlertTransition, Observation, StateRule, StepResult } from './state.ts';
export {
  PERCENTILES, evaluateCheckFailing, evaluateErrorRate, evaluateLatency, evaluateNoData, formatPercent,
} from './evaluate.ts';
export type {
  CheckFailingParams, ConditionResult, ErrorRateParams, LatencyParams, LatencyPercentile, NoDataParams, RunOutcome,
} from './evaluate.ts';
export { WORKBOOK_BURN_WINDOWS, burnRate, evaluateBurn } from './burn-rate.ts';
export type { BurnResult, BurnSeverity, BurnWindow } from './burn-rate.ts';
export { decideNotification, fingerprint, groupKey, markNotified } from './grouping.ts';
export type { GroupAlert, GroupDecision, GroupState, GroupTiming, Labels } from './grouping.ts';
export {
  MAX_PATTERN_LENGTH, MAX_WINDOW_MS, checkPattern, inMaintenance, isSilenced, maintenanceBy, matcherMatches, matchesAll,
  silencedBy, validateMaintenanceWindow, validateMatchers,
} from './silences.ts';
export type { MaintenanceWindow, MatchOp, Matcher, Silence } from './silences.ts';
export { cronMatches, parseCron } from './cron.ts';
export type { CronParse, CronSchedule } from './cron.ts';
