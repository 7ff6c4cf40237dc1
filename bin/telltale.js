#!/usr/bin/env node
// The `telltale` command: registers the TypeScript loader, then runs the CLI.
import { register } from 'tsx/esm/api';

register();
await import('../server/main.ts');
