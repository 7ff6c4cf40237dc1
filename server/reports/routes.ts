// SLOs (/api/v1/slos), SLA reports (/api/v1/reports/sla) and report schedules (/api/v1/report-schedules).
import type { FastifyPluginAsync } from 'fastify';
import type { ControlStore, Store } from '../../store/index.ts';

export interface ReportRoutesOptions {
  store: Store;
  control: ControlStore;
  now: () => number;
}

export const reportRoutes: FastifyPluginAsync<ReportRoutesOptions> = async () => {
  // Routes land with the SLO and reports feature.
};
