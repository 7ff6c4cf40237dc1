/** Ends a CLI command with one line on stderr and exit code 1. */
export function fail(message: string): never {
  console.error(`telltale: ${message}`);
  process.exit(1);
}
