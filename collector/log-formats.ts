// The formats a team can name: the built-in ones and its own from the config file
// (an nginx `log_format`, a JSON field mapping). Text parsers keep per-stream state, so each
// stream (a request, a tailed file) gets its own instance.
import { FORMAT_NAMES, GatewayFormatError, gatewayFormat, isFormatName, type FormatName, type GatewayFormat, type JsonMapping } from './gateway/index.ts';

/** A named format in the config file's `logFormats:` section. */
export interface LogFormatSpec {
  format: FormatName;
  /** nginx: the `log_format` string. */
  logFormat?: string;
  /** nginx: the variable naming the caller, e.g. `http_x_api_key`. */
  consumerVariable?: string;
  /** json: where each field is. */
  mapping?: JsonMapping;
}

export class LogFormats {
  /** Builds every custom format once, so a bad one stops start instead of failing later. */
  constructor(private readonly custom: Readonly<Record<string, LogFormatSpec>> = {}) {
    for (const name of Object.keys(custom)) {
      try {
        this.create(name);
      } catch (err) {
        throw new GatewayFormatError(`logFormats.${name}: ${(err as Error).message}`);
      }
    }
  }

  names(): string[] {
    return [...FORMAT_NAMES.filter((n) => n !== 'json'), ...Object.keys(this.custom)];
  }

  /** A fresh parser for a format name; throws GatewayFormatError for an unknown one. */
  create(name: string): GatewayFormat {
    const spec = Object.hasOwn(this.custom, name) ? this.custom[name] : undefined;
    if (spec) return gatewayFormat(spec.format, { nginxLogFormat: spec.logFormat, consumerVariable: spec.consumerVariable, jsonMapping: spec.mapping });
    if (isFormatName(name) && name !== 'json') return gatewayFormat(name);
    throw new GatewayFormatError(`unknown format "${name}"; known: ${this.names().join(', ')} (json needs a mapping under logFormats in the config file)`);
  }
}
