// The few calls `telltale checks plan|apply|export` make to a running Telltale's API, with
// every answer checked and failures as one clear message (and the diagnostics of a 400).
import type { Check, Diagnostic } from '../../synthetic/index.ts';

export interface RemoteCheck {
  check: Check;
  origin: 'code' | 'api';
  readOnly: boolean;
}

export class ApiError extends Error {
  constructor(readonly status: number, message: string, readonly diagnostics: Diagnostic[] = []) {
    super(message);
  }
}

export interface ChecksClient {
  list(): Promise<RemoteCheck[]>;
  create(check: Check): Promise<void>;
  /** True when the check changed (or, with dryRun, would change). */
  replace(check: Check, dryRun?: boolean): Promise<boolean>;
  remove(id: string): Promise<void>;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function checksClient(baseUrl: string, token: string): ChecksClient {
  const root = `${baseUrl.replace(/\/+$/, '')}/api/v1/checks`;
  async function call(method: string, path: string, body?: unknown): Promise<unknown> {
    let response: Response;
    try {
      response = await fetch(root + path, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (err) {
      throw new ApiError(0, `cannot reach ${baseUrl}: ${(err as Error).message}`);
    }
    const text = await response.text();
    let parsed: unknown = null;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      throw new ApiError(response.status, `${method} ${root + path}: ${response.status}, not JSON (is ${baseUrl} a Telltale?)`);
    }
    if (!response.ok) {
      const message = isRecord(parsed) && typeof parsed.message === 'string' ? parsed.message : `HTTP ${response.status}`;
      const diagnostics = isRecord(parsed) && Array.isArray(parsed.diagnostics) ? (parsed.diagnostics as Diagnostic[]) : [];
      throw new ApiError(response.status, `${method} ${root + path}: ${response.status} ${message}`, diagnostics);
    }
    return parsed;
  }
  return {
    async list() {
      const body = await call('GET', '');
      if (!isRecord(body) || !Array.isArray(body.checks)) throw new ApiError(200, `GET ${root}: not a list of checks`);
      return body.checks as RemoteCheck[];
    },
    async create(check) {
      await call('POST', '', check);
    },
    async replace(check, dryRun = false) {
      const body = await call('PUT', `/${encodeURIComponent(check.id)}${dryRun ? '?dryRun=true' : ''}`, check);
      return isRecord(body) && body.changed === true;
    },
    async remove(id) {
      await call('DELETE', `/${encodeURIComponent(id)}`);
    },
  };
}
