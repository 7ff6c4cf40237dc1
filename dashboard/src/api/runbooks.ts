// The runbooks API (server/runbooks/routes.ts) as typed calls on the shared client.
import type { ApiClient } from './client.ts';
import { arrayOf, nullable, objectOf, str, type Guard, type Infer } from './guards.ts';

const origin: Guard<'shipped' | 'team'> = (v, p) => (v === 'team' ? 'team' : v === 'shipped' ? 'shipped' : (str(v, p), 'shipped'));
const summaryFields = { id: str, title: str, owner: nullable(str), severity: nullable(str), appliesTo: arrayOf(str), defaultFor: arrayOf(str), origin };
export const runbookSummary = objectOf(summaryFields);
export const runbookDetail = objectOf({ ...summaryFields, markdown: str, html: str, firstSteps: arrayOf(str) });
export const runbooksResponse = objectOf({ runbooks: arrayOf(runbookSummary) });

export type RunbookSummary = Infer<typeof runbookSummary>;
export type RunbookDetail = Infer<typeof runbookDetail>;

export const listRunbooks = async (api: ApiClient, signal?: AbortSignal) => (await api.request('GET', '/runbooks', runbooksResponse, { signal })).runbooks;
export const getRunbook = (api: ApiClient, id: string, signal?: AbortSignal) => api.request('GET', `/runbooks/${encodeURIComponent(id)}`, runbookDetail, { signal });
