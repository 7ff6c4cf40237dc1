// GET /api/v1/runbooks and /api/v1/runbooks/:id: the loaded library, read-only (runbooks are
// files; changing one is a commit and a restart, like any other config in the team's repo).
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { RULE_KINDS } from '../../alerts/notification.ts';
import type { Runbook, RunbookLibrary } from '../../alerts/runbooks/library.ts';
import { TelltaleError } from '../errors.ts';

const NullableString = Type.Union([Type.String(), Type.Null()]);
const ErrorBody = Type.Object({ statusCode: Type.Number(), code: Type.String(), message: Type.String() });
const summaryFields = {
  id: Type.String(),
  title: Type.String(),
  owner: Type.Union([Type.String(), Type.Null()], { description: 'The team to escalate to.' }),
  severity: NullableString,
  appliesTo: Type.Array(Type.String(), { description: 'Rule kinds or check tags it is written for.' }),
  defaultFor: Type.Array(Type.String(), { description: 'Rule kinds that get this runbook when a rule names none.' }),
  origin: Type.Union([Type.Literal('shipped'), Type.Literal('team')], { description: '`team`: from TELLTALE_RUNBOOKS_DIR (replacing a shipped one with the same id).' }),
};
const RunbookSummary = Type.Object(summaryFields);
const RunbookDetail = Type.Object({
  ...summaryFields,
  markdown: Type.String({ description: 'The Markdown body, front matter removed.' }),
  html: Type.String({ description: 'The body as sanitized HTML: raw HTML escaped, only http(s), mailto and relative links.' }),
  firstSteps: Type.Array(Type.String(), { description: 'The first ordered list as plain text (at most 5 items), as alert emails show it.' }),
});

export interface RunbookRoutesOptions {
  library: RunbookLibrary;
}

export const runbookRoutes: FastifyPluginAsyncTypebox<RunbookRoutesOptions> = async (app, { library }) => {
  const read = { scope: 'read' as const };
  const tags = ['runbooks'];
  const defaultFor = (runbook: Runbook) => RULE_KINDS.filter((kind) => library.defaultFor(kind)?.id === runbook.id);
  const summary = (r: Runbook) => ({ id: r.id, title: r.title, owner: r.owner, severity: r.severity, appliesTo: r.appliesTo, defaultFor: defaultFor(r), origin: r.origin });

  app.get('/runbooks', {
    config: read,
    schema: { tags, summary: 'Every runbook (shipped and the team’s own), by id', response: { 200: Type.Object({ runbooks: Type.Array(RunbookSummary) }) } },
  }, async () => ({ runbooks: library.list().map(summary) }));

  app.get('/runbooks/:id', {
    config: read,
    schema: {
      tags, summary: 'One runbook: its Markdown, sanitized HTML and first steps',
      params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 128 }) }),
      response: { 200: RunbookDetail, 404: ErrorBody },
    },
  }, async (request) => {
    const runbook = library.get(request.params.id);
    if (!runbook) throw new TelltaleError('TELLTALE_ERR_RUNBOOK_NOT_FOUND', `no runbook "${request.params.id}"`);
    return { ...summary(runbook), markdown: runbook.markdown, html: runbook.html, firstSteps: runbook.firstSteps };
  });
};
