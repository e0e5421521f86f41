// The heap policy main applies at startup (main/lifecycle.ts). V8 ignores a flag it does not
// know without a word, so the flag is checked against the flags this V8 lists; its effect is
// measured by bench:desktop (peak RSS), not asserted here.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { applyDesktopHeapPolicy, desktopHeapFlags, HEAP_GROWING_PERCENT } from '../../../app/desktop/heap-policy.ts';

describe('applyDesktopHeapPolicy', () => {
  it('sets the heap growing factor to 1.5 through a flag this V8 knows', () => {
    const set: string[] = [];
    applyDesktopHeapPolicy((flags) => set.push(flags));
    expect(set).toEqual(['--heap-growing-percent=50']);
    expect(1 + HEAP_GROWING_PERCENT / 100).toBe(1.5);
    const listed = spawnSync(process.execPath, ['--v8-options'], { encoding: 'utf8' }).stdout;
    const name = desktopHeapFlags.split('=')[0];
    expect(listed).toContain(`${name} (specifies heap growing factor`);
  });
});
