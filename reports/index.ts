// The public face of reports/: SLO definitions and accounting, the SLA report and its renderers,
// report schedules, and the SloSource the slo_burn alert rule reads.
export { SloSchema, validateSlo, describeDiagnostics, sloMaintenanceWindows } from './slo-schema.ts';
export type { Slo, SloInput, Diagnostic, SloValidation, Indicator, Selector } from './slo-schema.ts';
export {
  computeSlo, errorRatioOf, remainingBudgetSeries, binAttainment, availabilityCounts, latencyCounts, runSegments,
} from './slo-compute.ts';
export type { SloComputation, SloData, Tally, Budget, BudgetPoint, EventBucket, RunPoint, NoDataPolicy } from './slo-compute.ts';
export { SLO_KIND, listSlos, getSlo, sloDocument } from './slo-registry.ts';
export type { StoredSlo, SloOrigin } from './slo-registry.ts';
export { sloStatus, evaluateSlo } from './slo-status.ts';
export type { SloStatus } from './slo-status.ts';
export { createSloSource } from './slo-source.ts';
export { isTimeZone, reportPeriod, sloWindow, calendarMonth, dayBoundaries } from './periods.ts';
export type { Interval, ReportPeriod } from './periods.ts';
export { buildSlaReport, parseScope, scopeText, CRITICAL_TAG } from './sla-report.ts';
export type { SlaReport, SlaReportOptions, SlaSloRow, SlaCheckRow, ReportScope } from './sla-report.ts';
export { renderCsv } from './render-csv.ts';
export { renderHtml } from './render-html.ts';
export { renderJson, toJsonReport } from './render-json.ts';
export { SlaReportJsonSchema } from './report-schema.ts';
export type { SlaReportJson } from './report-schema.ts';
export {
  ReportScheduleSchema, SCHEDULE_KIND, validateSchedule, scheduleDocument, fromScheduleDocument, deliveryIdPrefix,
} from './schedule-schema.ts';
export type { ReportSchedule, StoredSchedule } from './schedule-schema.ts';
export { nextFireAfter } from './schedule-time.ts';
export { startReportSchedules, fireSchedule, reportMail, deliveryId } from './schedules.ts';
export type { ReportSchedules, ReportSchedulesOptions, ReportTimers } from './schedules.ts';
