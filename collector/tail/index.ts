// File tailing's public face: follow access-log files named in the config file's `sources:`.
export type { TailDeps, TailSource, TailSources, TailSourcesOptions } from './sources.ts';
export { TailSourceError, startSources } from './sources.ts';
export type { LogTailerOptions } from './log-tailer.ts';
export { LogTailer } from './log-tailer.ts';
export type { TailLogger } from './tail-log.ts';
export type { TailPosition } from './position.ts';
export { decodePosition, encodePosition } from './position.ts';
