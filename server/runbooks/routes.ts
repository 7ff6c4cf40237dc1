// GET /api/v1/runbooks and /api/v1/runbooks/:id.
import type { FastifyPluginAsync } from 'fastify';
import type { RunbookLibrary } from '../../alerts/runbooks/library.ts';

export interface RunbookRoutesOptions {
  library: RunbookLibrary;
}

export const runbookRoutes: FastifyPluginAsync<RunbookRoutesOptions> = async () => {
  // Routes land with the runbooks feature.
};
