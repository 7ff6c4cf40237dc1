// The per-alert-instance state machine with Prometheus semantics. Pure: the caller owns the
// clock and persistence, so a restart resumes from the stored object exactly where it was.

/** Where one alert instance stands. */
export type AlertStatus = 'inactive' | 'pending' | 'firing' | 'resolved';

/** A change worth recording in history and, for firing and resolved, worth notifying. */
export type AlertTransition = 'pending' | 'firing' | 'resolved';

/** Serializable state of one alert instance (one rule × one label set). */
export interface AlertState {
  status: AlertStatus;
  /** When the condition started holding without a break; null when it does not hold. */
  activeSinceMs: number | null;
  firingSinceMs: number | null;
  lastValue: number | null;
  resolvedAtMs: number | null;
  /** When the condition cleared while firing: the start of keep_firing_for. */
  clearedAtMs: number | null;
}

/** The timing part of a rule the state machine needs. */
export interface StateRule {
  /** Pending duration (`for`); 0 fires on the first active evaluation, as Prometheus does. */
  forMs: number;
  /** Keep firing this long after the condition clears (`keep_firing_for`). */
  keepFiringForMs: number;
}

/** One evaluation's outcome for one instance. */
export interface Observation {
  active: boolean;
  value: number;
  nowMs: number;
}

/** Result of one step: the next state and the transition it made, if any. */
export interface StepResult {
  state: AlertState;
  transition?: AlertTransition;
}

// Prometheus keeps resolved alerts around for 15 minutes so receivers and the API still see them.
/** How long a resolved instance stays `resolved` before it returns to `inactive`. */
export const RESOLVED_RETENTION_MS = 15 * 60_000;

/** The state of an instance that has never been active. */
export function initialState(): AlertState {
  return { status: 'inactive', activeSinceMs: null, firingSinceMs: null, lastValue: null, resolvedAtMs: null, clearedAtMs: null };
}

/** Advances one instance by one evaluation. Never mutates its input. */
export function step(state: AlertState, obs: Observation, rule: StateRule): StepResult {
  const { active, value, nowMs } = obs;
  const base: AlertState = { ...state, lastValue: value };
  if (active) {
    switch (state.status) {
      case 'inactive':
      case 'resolved': {
        const started: AlertState = { ...base, status: 'pending', activeSinceMs: nowMs, firingSinceMs: null, resolvedAtMs: null, clearedAtMs: null };
        // Same-evaluation promotion mirrors Prometheus: with for: 0 the alert fires at once.
        if (rule.forMs <= 0) return { state: { ...started, status: 'firing', firingSinceMs: nowMs }, transition: 'firing' };
        return { state: started, transition: 'pending' };
      }
      case 'pending': {
        const since = state.activeSinceMs ?? nowMs;
        if (nowMs - since >= rule.forMs) return { state: { ...base, status: 'firing', firingSinceMs: nowMs, clearedAtMs: null }, transition: 'firing' };
        return { state: base };
      }
      case 'firing':
        // The condition came back inside keep_firing_for: the pending resolve is cancelled.
        return { state: { ...base, clearedAtMs: null } };
    }
  }
  switch (state.status) {
    case 'inactive':
      return { state: base };
    case 'pending':
      // `for` needs the condition at every evaluation; one miss starts the wait over.
      return { state: { ...base, status: 'inactive', activeSinceMs: null } };
    case 'firing': {
      const clearedAtMs = state.clearedAtMs ?? nowMs;
      if (nowMs - clearedAtMs < rule.keepFiringForMs) return { state: { ...base, clearedAtMs } };
      return {
        state: { ...base, status: 'resolved', activeSinceMs: null, resolvedAtMs: nowMs, clearedAtMs: null },
        transition: 'resolved',
      };
    }
    case 'resolved': {
      const resolvedAtMs = state.resolvedAtMs ?? nowMs;
      if (nowMs - resolvedAtMs >= RESOLVED_RETENTION_MS) return { state: { ...base, status: 'inactive', firingSinceMs: null, resolvedAtMs: null } };
      return { state: base };
    }
  }
}
