// What every reliability scenario hands back: the checks it made (each pass or fail, with the
// evidence when it failed), the faults it injected as the simulator's record counts them, and
// how long it took. The vitest files assert that no check failed; the soak runner prints them.

export type Size = 'fast' | 'soak';

export interface Check {
  readonly name: string;
  readonly ok: boolean;
  /** Why it failed (the first few violations), or a short note when it passed. */
  readonly detail?: string;
}

export interface ScenarioReport {
  readonly scenario: string;
  /** Data rows in the file(s) the scenario used. */
  readonly rows: number;
  /** Fault kind → how many (5xx, drop-before-apply, 429, 401, SIGKILL, ENOSPC…). */
  readonly faults: Readonly<Record<string, number>>;
  readonly checks: readonly Check[];
  readonly durationMs: number;
  /** Peak resident memory of the measured process, when measured. */
  readonly peakRssMb?: number;
  /** Why the scenario (or a part of it) could not run here. */
  readonly skipped?: string;
  readonly notes: readonly string[];
}

/** At most this many violations are spelled out per check. */
const SHOWN = 5;

/** Collects checks; a failed check never stops the scenario, so one run shows every problem. */
export class Checks {
  readonly list: Check[] = [];

  /** One check from a list of violations: passes when there are none. */
  none(name: string, violations: readonly string[], passNote?: string): void {
    const ok = violations.length === 0;
    const more = violations.length > SHOWN ? ` … and ${violations.length - SHOWN} more` : '';
    this.list.push({ name, ok, detail: ok ? passNote : `${violations.slice(0, SHOWN).join('; ')}${more}` });
  }

  that(name: string, ok: boolean, detail?: string): void {
    this.list.push({ name, ok, detail });
  }

  equal(name: string, actual: unknown, expected: unknown): void {
    const a = JSON.stringify(actual);
    const e = JSON.stringify(expected);
    this.list.push({ name, ok: a === e, detail: a === e ? undefined : `got ${a}, expected ${e}` });
  }

  /** The checks of another list, each name prefixed (e.g. "after the 401: "). */
  add(prefix: string, checks: readonly Check[]): void {
    for (const check of checks) this.list.push({ ...check, name: `${prefix}${check.name}` });
  }

  get failed(): Check[] {
    return this.list.filter((c) => !c.ok);
  }
}

/** Times a scenario body and fills in the report's duration. */
export async function timed(body: () => Promise<Omit<ScenarioReport, 'durationMs'>>): Promise<ScenarioReport> {
  const started = performance.now();
  const report = await body();
  return { ...report, durationMs: Math.round(performance.now() - started) };
}

/** A failed check as one line, for assertion messages and the soak table's footnotes. */
export const describeFailure = (check: Check): string => `${check.name}: ${check.detail ?? 'failed'}`;
