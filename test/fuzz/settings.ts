// Fuzzing settings shared by test/fuzz: a fixed seed and few runs in the default test run (the
// fuzz files together stay well under 20 s on two cores); FUZZ_RUNS=100000 (and optionally
// FUZZ_SEED) for a long run on demand, e.g. `FUZZ_RUNS=100000 node scripts/test.mjs fuzz`.
// A failure prints its seed and counterexample path, so it can be replayed exactly.
import fc from 'fast-check';

const runs = Number(process.env.FUZZ_RUNS ?? '');
const seed = Number(process.env.FUZZ_SEED ?? '');

/** Runs per property in CI, scaled by each property's `weight` (expensive properties use less). */
export const DEFAULT_RUNS = 200;

export const FUZZ_RUNS = Number.isInteger(runs) && runs > 0 ? runs : DEFAULT_RUNS;

fc.configureGlobal({ seed: Number.isInteger(seed) && process.env.FUZZ_SEED ? seed : 42, numRuns: FUZZ_RUNS, endOnFailure: true });

/** numRuns for a property that costs `weight` times an ordinary one. */
export const runsFor = (weight: number): number => Math.max(1, Math.round(FUZZ_RUNS / weight));

export { fc };
