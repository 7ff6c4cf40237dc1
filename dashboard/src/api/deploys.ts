// The deploys API (server/deploys/routes.ts) as a typed call on the shared client: the deploys
// charts mark, told by CI through POST /deploys or seen as a new service.version in traces.
import type { ApiClient, Window } from './client.ts';
import { arrayOf, objectOf, ShapeError, str, type Guard, type Infer } from './guards.ts';

function optional<T>(guard: Guard<T>): Guard<T | undefined> {
  return (v, p) => (v === undefined ? undefined : guard(v, p));
}

const deploySource: Guard<'api' | 'traces'> = (v, path) => {
  if (v !== 'api' && v !== 'traces') throw new ShapeError(path, '"api" or "traces"', v);
  return v;
};

export const deployView = objectOf({
  service: str, version: str, at: str, source: deploySource, environment: optional(str), description: optional(str),
});
const deploysResponse = objectOf({ deploys: arrayOf(deployView) });

export type Deploy = Infer<typeof deployView>;

export interface DeployQuery {
  /** One service's deploys; null for every service's. */
  service: string | null;
  limit?: number;
}

/** Deploys in the window, newest first. */
export const listDeploys = async (api: ApiClient, w: Window, q: DeployQuery, signal?: AbortSignal): Promise<Deploy[]> =>
  (await api.request('GET', '/deploys', deploysResponse, {
    params: { service: q.service, from: Math.floor(w.fromMs), to: Math.ceil(w.toMs), limit: q.limit }, signal,
  })).deploys;
