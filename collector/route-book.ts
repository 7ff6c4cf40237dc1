// The routes Telltale knows per service: templates learned from traces (`http.route`) and
// gateways (AWS `resourcePath`) or given in config, used to name raw paths the way the
// service itself names them; and a cap on distinct routes per service, so one service
// that leaks ids into its paths cannot flood the store.
import { routeTemplate } from './route-template.ts';

/** Where calls go once a service has its maximum number of routes. */
export const OVERFLOW_ROUTE = '{other}';

const PLACEHOLDER = /^(\{[^}]*\}|:[^/]+|<[^>]+>|\*)$/;

interface Template {
  route: string;
  /** Literal segments, or null where any one segment matches. */
  segments: (string | null)[];
  placeholders: number;
}

function compile(route: string): Template | null {
  const segments = route.split('/').filter(Boolean).map((s) => (PLACEHOLDER.test(s) ? null : s));
  const placeholders = segments.filter((s) => s === null).length;
  // A template without placeholders names exactly one path: nothing to learn.
  return placeholders === 0 ? null : { route, segments, placeholders };
}

function pathSegments(path: string): string[] {
  let end = path.length;
  for (const stop of ['?', '#']) {
    const i = path.indexOf(stop);
    if (i !== -1 && i < end) end = i;
  }
  return path.slice(0, end).split('/').filter(Boolean);
}

export interface RouteBookOptions {
  /** Distinct routes per service; calls on further routes are counted under OVERFLOW_ROUTE. */
  maxRoutesPerService: number;
  /** Templates from config, for all services (no `service`) or one. */
  templates?: ReadonlyArray<{ service?: string; route: string }>;
}

export class RouteBook {
  private readonly templates = new Map<string, Map<number, Template[]>>();
  private readonly routes = new Map<string, Set<string>>();
  private readonly global: Template[] = [];

  constructor(private readonly options: RouteBookOptions) {
    for (const t of options.templates ?? []) {
      if (t.service) this.learnTemplate(t.service, t.route);
      else {
        const compiled = compile(t.route);
        if (compiled) this.global.push(compiled);
      }
    }
  }

  /** Remembers a template the service itself reported, to name its raw paths later. */
  learnTemplate(service: string, route: string): void {
    const compiled = compile(route);
    if (!compiled) return;
    let bySize = this.templates.get(service);
    if (!bySize) this.templates.set(service, (bySize = new Map<number, Template[]>()));
    const list = bySize.get(compiled.segments.length) ?? [];
    if (list.some((t) => t.route === route)) return;
    list.push(compiled);
    // Most specific first: the fewest placeholders wins when several match.
    list.sort((a, b) => a.placeholders - b.placeholders);
    bySize.set(compiled.segments.length, list);
  }

  /** The route for a raw path: a known template of the service that matches, else a generic template. */
  forPath(service: string, path: string): string {
    const own = this.templates.get(service);
    // Most services have no templates learned: skip splitting the path for nothing.
    if (!own && this.global.length === 0) return routeTemplate(path);
    const segments = pathSegments(path);
    const candidates = [...(own?.get(segments.length) ?? []), ...this.global];
    for (const t of candidates) {
      if (t.segments.length === segments.length && t.segments.every((s, i) => s === null || s === segments[i])) return t.route;
    }
    return routeTemplate(path);
  }

  /** The route as stored: itself while the service is under its cap, OVERFLOW_ROUTE after. */
  admit(service: string, route: string): string {
    let known = this.routes.get(service);
    if (!known) this.routes.set(service, (known = new Set()));
    if (known.has(route)) return route;
    if (known.size >= this.options.maxRoutesPerService) return OVERFLOW_ROUTE;
    known.add(route);
    return route;
  }

  /** Loads what the store already holds, so a restart neither forgets templates nor resets caps. */
  seed(rows: Iterable<{ service: string; route: string }>): void {
    for (const { service, route } of rows) {
      if (route === OVERFLOW_ROUTE) continue;
      this.learnTemplate(service, route);
      this.admit(service, route);
    }
  }
}
