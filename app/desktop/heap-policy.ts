// How far the desktop's main process lets its heap grow past what is live. V8 sets the next
// major GC's limit at up to 4× the live heap (its default for a long-running process). The
// desktop's main process holds a review of up to 1,000,000 rows and, in practice mode, sends
// thousands of rows a second. Measured (bench:desktop, 1,000,000 rows, 200,000 sent): with
// ~80 MB live, the main heap reached 250–300 MB between major GCs, and peak RSS was 493–533 MB.
// With a factor of 1.5 the heap stays under ~160 MB and peak RSS was 394 MB. The cost is a major
// GC every ~2 s of a fast run: 5–18 ms on the main thread, since marking is incremental and
// concurrent. The check's CPU time did not change beyond noise.
//
// Why it is set at run time: Electron takes V8 flags for its main process only from the command
// line (--js-flags), and a packaged app is not given one. Electron's main process leaves V8's
// flags unfrozen (it passes --no-freeze-flags-after-init, as Node does), and V8 reads this flag
// each time it sets the heap's next limit. The flag is process-wide, so the worker threads (the
// check's second reader, the practice simulator) follow it too.
import { setFlagsFromString } from 'node:v8';

/** V8's heap growing factor is 1 + this / 100. */
export const HEAP_GROWING_PERCENT = 50;

export const desktopHeapFlags = `--heap-growing-percent=${HEAP_GROWING_PERCENT}`;

/** Main calls this at startup, before the service holds anything; bench:desktop does the same. */
export function applyDesktopHeapPolicy(setFlags: (flags: string) => void = setFlagsFromString): void {
  setFlags(desktopHeapFlags);
}
