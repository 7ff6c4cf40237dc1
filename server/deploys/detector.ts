// Deploys seen in traces: when a service's spans arrive with a `service.version` other than
// the last one recorded, that is a deploy. Wraps the store's append, so only committed spans
// count; the record is written to the control store beside the alerts that will mention it.
import { DEPLOY_EVENT_KIND, type DeployEvent } from '../../alerts/deploys.ts';
import type { ControlStore, IngestBatch, Store } from '../../store/index.ts';

const VERSION = 'service.version';

export class DeployDetector {
  readonly #control: ControlStore;
  readonly #onError: (err: unknown) => void;
  /** The last version recorded per service. */
  readonly #versions = new Map<string, string>();

  private constructor(control: ControlStore, onError: (err: unknown) => void) {
    this.#control = control;
    this.#onError = onError;
  }

  /** A detector that knows the versions already recorded, so a restart records nothing again. */
  static async open(control: ControlStore, onError: (err: unknown) => void): Promise<DeployDetector> {
    const detector = new DeployDetector(control, onError);
    const recorded = await control.events({ kind: DEPLOY_EVENT_KIND, fromMs: 0, toMs: Number.MAX_SAFE_INTEGER, limit: 10_000 });
    // Newest first: the first event seen per service is its current version.
    for (const e of recorded) {
      const d = e.body as DeployEvent;
      if (!detector.#versions.has(d.service)) detector.#versions.set(d.service, d.version);
    }
    return detector;
  }

  /** Records the first committed appearance of each new (service, version) in the batch. */
  observe(batch: IngestBatch): void {
    const found = new Map<string, DeployEvent>();
    for (const span of batch.spans) {
      const version = span.resource[VERSION];
      if (typeof version !== 'string' || version === '' || this.#versions.get(span.service) === version) continue;
      const timeMs = Number(BigInt(span.startTimeUnixNano) / 1_000_000n);
      const key = `${span.service}\u0000${version}`;
      const seen = found.get(key);
      if (!seen || timeMs < seen.timeMs) found.set(key, { service: span.service, version, timeMs, source: 'traces' });
    }
    if (found.size === 0) return;
    for (const d of found.values()) this.#versions.set(d.service, d.version);
    const events = [...found.values()].map((d) => ({ kind: DEPLOY_EVENT_KIND, key: d.service, atMs: d.timeMs, body: d }));
    this.#control.commit({ events }).catch(this.#onError);
  }

  /** The store, with every committed batch observed. */
  wrap(store: Store): Store {
    const append = async (batch: IngestBatch) => {
      const result = await store.append(batch);
      this.observe(batch);
      return result;
    };
    // Every other method is the store's own, bound to it (its private fields need the real `this`).
    return new Proxy(store, {
      get: (target, prop) => {
        if (prop === 'append') return append;
        const value = Reflect.get(target, prop, target) as unknown;
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
  }
}
