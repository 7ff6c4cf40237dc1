// Served at `/` until the React dashboard lands: says what is running and where the API is.
export function placeholderPage(): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Telltale</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem}code{background:#eee;padding:0 .2em}</style></head>
<body><h1>Telltale is running</h1>
<p>The dashboard is on its way. Meanwhile the query API answers under <code>/api/v1</code>; its documentation is at <a href="/api/docs">/api/docs</a>.</p>
<p>Send traces with OTLP/HTTP to <code>/v1/traces</code> (this port or 4318) with <code>Authorization: Bearer &lt;ingest token&gt;</code>.</p>
</body></html>`;
}
