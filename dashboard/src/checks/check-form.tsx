// Create or edit an API-owned check: the common fields, the request, status and latency
// assertions plus a JSON box for the rest, with the API's diagnostics next to the fields they
// name; beside it the check as YAML, ready for a repository's checks folder. Code-owned checks
// are shown read-only: they change in their repository.
import { useMemo, useState, type ReactNode } from 'react';
import { createCheck, diagnosticsOf, getCheck, saveCheck, type Diagnostic } from '../api/checks.ts';
import { EMPTY_FORM, checkFromForm, fieldOfPath, formFromCheck, type CheckFormFields } from '../lib/check-runs.ts';
import { linkTo } from '../lib/url-state.ts';
import { toYaml } from '../lib/yaml.ts';
import { Link, useRouter } from '../shell/router.tsx';
import { useSession } from '../shell/session.tsx';
import { useQuery } from '../shell/use-query.ts';
import { Panel, QueryStatus } from '../ui/panel.tsx';

/** How the API shows a secret header value (a masked value sent back keeps the stored secret). */
const SECRET_MASK = '••••';
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/** `id` null: a new check. */
export function CheckFormPage({ id }: { id: string | null }) {
  const existing = useQuery(id === null ? null : `check-edit:${id}`, (api, signal) => getCheck(api, id ?? '', signal), { followWindow: false });
  if (id === null) return <CheckForm base={null} readOnly={false} otherType={null} />;
  if (!existing.data) return <QueryStatus loading={existing.loading} error={existing.error} empty emptyText="" />;
  const { check, readOnly } = existing.data;
  const type = typeof check['type'] === 'string' ? check['type'] : '';
  return <CheckForm base={check} readOnly={readOnly || type !== 'http'} otherType={type === 'http' ? null : type} />;
}

function Field({ label, name, errors, children, hint }: { label: string; name: string; errors: Diagnostic[]; children: ReactNode; hint?: string }) {
  return (
    <label className="field" htmlFor={`check-${name}`}>
      <span>{label}</span>
      {children}
      {hint && <span className="muted small">{hint}</span>}
      {errors.map((e, i) => <p key={i} className="field-error" id={`check-${name}-error`} role="alert">{e.path}: {e.message}</p>)}
    </label>
  );
}

/** `otherType`: a check of a type the form does not edit (tcp, dns, tls, multistep), shown read-only. */
function CheckForm({ base, readOnly, otherType }: { base: Record<string, unknown> | null; readOnly: boolean; otherType: string | null }) {
  const { api, report } = useSession();
  const { search, navigate } = useRouter();
  const [form, setForm] = useState<CheckFormFields>(() => (base ? formFromCheck(base) : EMPTY_FORM));
  const [diagnostics, setDiagnostics] = useState<Diagnostic[]>([]);
  const [saving, setSaving] = useState(false);
  // A check the form cannot represent is shown as stored, not as the form would rebuild it.
  const built = useMemo(() => (otherType !== null && base ? { check: base, problems: [] } : checkFromForm(form, base ?? {})), [form, base, otherType]);
  const yaml = useMemo(() => toYaml(built.check), [built]);
  const isNew = base === null;

  const errorsFor = (field: keyof CheckFormFields) => diagnostics.filter((d) => fieldOfPath(d.path) === field);
  const others = diagnostics.filter((d) => fieldOfPath(d.path) === 'other');
  const set = (field: keyof CheckFormFields) => (event: { target: { value: string } }) => setForm((f) => ({ ...f, [field]: event.target.value }));
  const input = (field: keyof CheckFormFields, extra: Record<string, unknown> = {}) => ({
    id: `check-${field}`, name: field, value: form[field], onChange: set(field),
    'aria-invalid': errorsFor(field).length > 0 || undefined, ...extra,
  });

  const submit = (event: { preventDefault: () => void }) => {
    event.preventDefault();
    if (built.problems.length > 0) {
      setDiagnostics(built.problems);
      return;
    }
    setSaving(true);
    setDiagnostics([]);
    const id = String(built.check['id']);
    const saved = isNew ? createCheck(api, built.check) : saveCheck(api, id, built.check);
    saved.then(
      () => navigate(linkTo(`/checks/${encodeURIComponent(id)}`, search)),
      (err: unknown) => {
        setSaving(false);
        const found = diagnosticsOf(err);
        if (found) setDiagnostics(found);
        else setDiagnostics([{ path: '', message: err instanceof Error ? err.message : String(err) }]);
        if (!found) report(err instanceof Error ? err.message : String(err));
      },
    );
  };

  return (
    <div className="stack">
      <div className="page-head">
        <nav aria-label="Breadcrumb" className="crumbs"><Link to={linkTo('/checks', search)}>Checks</Link> <span aria-hidden="true">›</span></nav>
        <h1>{isNew ? 'New check' : readOnly ? form.name || form.id : `Edit ${form.name || form.id}`}</h1>
      </div>
      <div className="check-form-layout">
        <Panel title="Check" id="check-form-panel">
          {otherType !== null && <p className="readonly-note" id="type-note">This is a {otherType} check: the form edits http checks only. Change it through the API (PUT /api/v1/checks/:id) or as code.</p>}
          {readOnly && otherType === null && <p className="readonly-note" id="readonly-note">This check is defined in code (the config file or the checks folder), so it is read-only here: change it in its repository.</p>}
          <form className="check-form pad" onSubmit={submit} noValidate>
            <fieldset disabled={readOnly || saving}>
              <div className="field-row">
                <Field label="Id" name="id" errors={errorsFor('id')} hint="lower-case letters, digits and dashes">
                  <input {...input('id', { readOnly: !isNew, required: true })} />
                </Field>
                <Field label="Name" name="name" errors={errorsFor('name')}><input {...input('name', { required: true })} /></Field>
                <Field label="Schedule" name="schedule" errors={errorsFor('schedule')} hint="30s, 1m, 5m … or cron (UTC)"><input {...input('schedule')} /></Field>
              </div>
              <div className="field-row">
                <Field label="Method" name="method" errors={errorsFor('method')}>
                  <select {...input('method')}>{METHODS.map((m) => <option key={m}>{m}</option>)}</select>
                </Field>
              </div>
              <Field label="URL" name="url" errors={errorsFor('url')}><input {...input('url', { type: 'url', required: true })} /></Field>
              <Field label="Headers" name="headers" errors={errorsFor('headers')} hint="One “Name: value” per line; secret values are masked by the API.">
                <textarea {...input('headers')} rows={3} />
              </Field>
              <div className="field-row">
                <Field label="Expected status" name="status" errors={errorsFor('status')}><input {...input('status', { inputMode: 'numeric' })} /></Field>
                <Field label="Latency under (ms)" name="latencyMs" errors={errorsFor('latencyMs')}><input {...input('latencyMs', { inputMode: 'numeric' })} /></Field>
              </div>
              <Field label="Other assertions (JSON array)" name="otherAssertions" errors={errorsFor('otherAssertions')}
                hint='e.g. [{"kind": "body", "contains": "ok"}, {"kind": "header", "name": "content-type", "contains": "json"}]'>
                <textarea {...input('otherAssertions')} rows={5} />
              </Field>
              {others.map((e, i) => <p key={i} className="field-error" role="alert">{e.path ? `${e.path}: ` : ''}{e.message}</p>)}
              {!readOnly && <div><button type="submit" className="primary" id="save-check">{saving ? 'Saving…' : isNew ? 'Create check' : 'Save'}</button></div>}
            </fieldset>
          </form>
        </Panel>
        <Panel title="As YAML" id="check-yaml" actions={<span className="muted small">for a checks/ file in your repository</span>}>
          <pre className="yaml" id="check-yaml-text">{yaml}</pre>
          {yaml.includes(SECRET_MASK) && <p className="muted small">Secret header values are masked ({SECRET_MASK}): put the real value in the file yourself, and keep that file where secrets belong.</p>}
        </Panel>
      </div>
    </div>
  );
}
