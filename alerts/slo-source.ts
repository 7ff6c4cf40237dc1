// What the `slo_burn` rule needs to know about an SLO. SLOs are defined and computed in
// reports/, which sits below alerts/ in the house plan; the composition root plugs an
// implementation in, so alerts never imports reports.

/** The error ratio of an SLO's indicator over a trailing window. */
export interface SloSource {
  /** The SLO's target in percent (99.9), or null when there is no such SLO. */
  target(sloId: string): Promise<number | null>;
  /**
   * Bad events ÷ all events of the SLO's indicator in [nowMs − windowMs, nowMs); NaN when the
   * window has no events (burns nothing).
   */
  errorRatio(sloId: string, windowMs: number, nowMs: number): Promise<number>;
}
