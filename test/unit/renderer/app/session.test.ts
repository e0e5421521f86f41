import { describe, expect, it } from 'vitest';
import type { ImportOverview, ReviewCounts } from '../../../../app/shared/views.ts';
import { canGo, initialSession, session, whyNot, type SessionState } from '../../../../renderer/app/session.ts';

const overview = (hasLeadId: boolean, importId = 'imp-1'): ImportOverview => ({
  importId,
  path: '/tmp/leads.csv',
  fileName: 'leads.csv',
  format: 'csv',
  encoding: 'utf-8',
  delimiter: ',',
  sheet: null,
  headerRow: 1,
  headerCandidates: [],
  sheets: [],
  sheetRowCounts: [],
  columns: [],
  mappingProblems: [],
  notices: [],
  hasLeadId,
  scope: { integrationId: null, propertyId: null },
});

const counts = (valid: number): ReviewCounts => ({
  rows: 10,
  valid,
  invalid: 10 - valid,
  skipped: 0,
  warnings: 0,
  duplicates: 0,
  edits: 0,
  notices: [],
});

describe('session', () => {
  it('walks open → map → review → send → run', () => {
    let s: SessionState = initialSession;
    expect(canGo(s, 'map')).toBe(false);
    s = session(s, { type: 'opened', overview: overview(true) });
    expect(s.screen).toBe('map');
    s = session(s, { type: 'go', screen: 'send' });
    expect(s.screen).toBe('map');
    expect(whyNot(s, 'send')).toBe('Review the rows first.');
    s = session(s, { type: 'go', screen: 'review' });
    expect(s.screen).toBe('review');
    s = session(s, { type: 'validated', counts: counts(7) });
    s = session(s, { type: 'go', screen: 'send' });
    expect(s.screen).toBe('send');
    s = session(s, { type: 'runShown', run: { runId: 'r1', fileName: 'leads.csv', environment: 'practice', live: true, shownAt: 1 } });
    expect(s.screen).toBe('run');
    expect(canGo(s, 'run')).toBe(true);
  });

  it('needs the lead id column before review, and valid rows before send', () => {
    let s = session(initialSession, { type: 'opened', overview: overview(false) });
    expect(canGo(s, 'review')).toBe(false);
    expect(whyNot(s, 'review')).toBe('Map a column to lead_id first.');
    s = session(s, { type: 'mapped', overview: overview(true) });
    s = session(s, { type: 'validated', counts: counts(0) });
    expect(canGo(s, 'send')).toBe(false);
    expect(whyNot(s, 'send')).toMatch(/No row is valid/);
  });

  it('forgets the counts when the mapping changes, and leaves review when the lead id goes', () => {
    let s = session(initialSession, { type: 'opened', overview: overview(true) });
    s = session(s, { type: 'go', screen: 'review' });
    s = session(s, { type: 'validated', counts: counts(5) });
    s = session(s, { type: 'mapped', overview: overview(true) });
    expect(s.counts).toBeNull();
    expect(s.screen).toBe('review');
    s = session(s, { type: 'mapped', overview: overview(false) });
    expect(s.screen).toBe('map');
  });

  it('opening another file starts its mapping over; a run on screen stays reachable', () => {
    let s = session(initialSession, { type: 'opened', overview: overview(true) });
    s = session(s, { type: 'validated', counts: counts(5) });
    s = session(s, { type: 'runShown', run: { runId: 'r1', fileName: 'leads.csv', environment: 'practice', live: true, shownAt: 1 } });
    s = session(s, { type: 'opened', overview: overview(true, 'imp-2') });
    expect(s.screen).toBe('map');
    expect(s.counts).toBeNull();
    expect(canGo(s, 'run')).toBe(true);
  });
});
