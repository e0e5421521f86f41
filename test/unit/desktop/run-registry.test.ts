import { describe, expect, it } from 'vitest';
import { createRunRegistry, KEEP_ENDED_RUNS, type PastEntry } from '../../../app/desktop/run-registry.ts';

const entry = (runId: string, state: PastEntry['state']): PastEntry => ({
  kind: 'past',
  runId,
  index: {
    rowNumbers: new Int32Array(0),
    status: new Uint8Array(0),
    leadIds: [],
    problems: new Map(),
    counts: { rows: 0, valid: 0, invalid: 0, skipped: 0 },
  },
  file: { readable: false, problem: 'not needed here' },
  records: new Map(),
  state,
  summary: null,
  stoppedReason: null,
  filterCache: new Map(),
});

describe('createRunRegistry', () => {
  it('keeps only the newest ended run (the one on screen): older ended runs are released, running ones stay', () => {
    expect(KEEP_ENDED_RUNS).toBe(1);
    const registry = createRunRegistry();
    registry.remember(entry('run-a', 'finished'));
    registry.remember(entry('run-going', 'running'));
    expect(registry.get('run-a')).toBeDefined();
    registry.remember(entry('run-b', 'cancelled'));
    expect(registry.get('run-a')).toBeUndefined();
    expect(registry.get('run-b')?.runId).toBe('run-b');
    expect(registry.get('run-going')?.runId).toBe('run-going');
    // Looked at again (read from its journal): now it is the one kept.
    registry.remember(entry('run-a', 'finished'));
    expect(registry.get('run-b')).toBeUndefined();
    expect([...registry.entries()].map((e) => e.runId).sort()).toEqual(['run-a', 'run-going']);
  });
});
