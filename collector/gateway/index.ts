// The gateway access-log parsers' public face: pure functions from a line (or a decoded JSON
// record) to a GatewayCall. Receivers (HTTP push, file tail, import) call these; ids, services
// and route templates are assigned by the caller.
export type { FormatName, GatewayCall, GatewayFormat, JsonMapping, ParseResult } from './types.ts';
export { GatewayFormatError, MAX_LINE_LENGTH } from './types.ts';
export type { GatewayFormatOptions } from './formats.ts';
export { FORMAT_NAMES, NGINX_COMBINED_FORMAT, NGINX_TIMED_FORMAT, gatewayFormat, isFormatName } from './formats.ts';
export type { NginxFormatOptions } from './nginx-format.ts';
export { compileNginxLogFormat } from './nginx-format.ts';
