// The closed registry of gateway formats: one name, one parser factory. Factories build fresh
// parsers because the text ones keep per-parser scratch state (field ranges, a time cache).
import { GatewayFormatError } from './types.ts';
import type { FormatName, GatewayFormat, JsonMapping } from './types.ts';
import { compileNginxLogFormat } from './nginx-format.ts';
import { envoyFormat, envoyJsonFormat } from './envoy.ts';
import { kongFormat } from './kong.ts';
import { traefikFormat } from './traefik.ts';
import { awsFormat } from './aws.ts';
import { jsonMappingFormat } from './json-mapping.ts';

/** Every built-in format name. */
export const FORMAT_NAMES: readonly FormatName[] = ['nginx', 'nginx-timed', 'envoy', 'envoy-json', 'kong', 'traefik', 'aws', 'json'];

/** nginx's predefined `combined` format. */
export const NGINX_COMBINED_FORMAT = '$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent"';
/** `combined` plus the two timings teams usually add. */
export const NGINX_TIMED_FORMAT = `${NGINX_COMBINED_FORMAT} $request_time $upstream_response_time`;

/** Options for gatewayFormat. */
export interface GatewayFormatOptions {
  /** `nginx` only: the user's own `log_format` instead of `combined`. */
  nginxLogFormat?: string;
  /** `nginx` and `nginx-timed`: a variable naming the caller (e.g. `http_x_api_key`), used before `$remote_user`. */
  consumerVariable?: string;
  /** `json` only, and required there. */
  jsonMapping?: JsonMapping;
}

/** True when `name` is a built-in format name (for validating configuration). */
export function isFormatName(name: string): name is FormatName {
  return (FORMAT_NAMES as readonly string[]).includes(name);
}

/** Builds the parser for a format; throws GatewayFormatError on unknown names or bad options. */
export function gatewayFormat(name: FormatName, options: GatewayFormatOptions = {}): GatewayFormat {
  if (options.nginxLogFormat !== undefined && name !== 'nginx') throw new GatewayFormatError(`nginxLogFormat applies to the nginx format, not ${name}`);
  if (options.jsonMapping !== undefined && name !== 'json') throw new GatewayFormatError(`jsonMapping applies to the json format, not ${name}`);
  const consumerVariable = options.consumerVariable;
  if (consumerVariable !== undefined && name !== 'nginx' && name !== 'nginx-timed') throw new GatewayFormatError(`consumerVariable applies to the nginx formats, not ${name}`);
  switch (name) {
    case 'nginx':
      return compileNginxLogFormat(options.nginxLogFormat ?? NGINX_COMBINED_FORMAT, { name, consumerVariable });
    case 'nginx-timed':
      return compileNginxLogFormat(NGINX_TIMED_FORMAT, { name, consumerVariable });
    case 'envoy':
      return envoyFormat();
    case 'envoy-json':
      return envoyJsonFormat();
    case 'kong':
      return kongFormat();
    case 'traefik':
      return traefikFormat();
    case 'aws':
      return awsFormat();
    case 'json':
      if (options.jsonMapping === undefined) throw new GatewayFormatError('the json format needs a jsonMapping');
      return jsonMappingFormat(options.jsonMapping);
    default:
      throw new GatewayFormatError(`unknown gateway format ${JSON.stringify(name)}; known: ${FORMAT_NAMES.join(', ')}`);
  }
}
