// Prints "N passed, N failed" (and ", N skipped" when tests were skipped, e.g. the e2e suite on
// a machine with no usable browser) from Vitest's JSON results. When the run stopped before the
// tests (type check or lint failed), there are no results: that counts as one failure.
import { readFileSync } from 'node:fs';

const [file, status] = process.argv.slice(2);
let passed = 0;
let failed = 0;
let skipped = 0;
try {
  const results = JSON.parse(readFileSync(file, 'utf8'));
  passed = results.numPassedTests ?? 0;
  failed = results.numFailedTests ?? 0;
  skipped = (results.numPendingTests ?? 0) + (results.numTodoTests ?? 0);
  // A suite that failed to load has no failed test of its own: count it.
  if (results.success === false && failed === 0) failed = Math.max(1, results.numFailedTestSuites ?? 1);
} catch {
  failed = 1;
}
if (Number(status) !== 0 && failed === 0) failed = 1;
console.log(`${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 ? 1 : 0);
