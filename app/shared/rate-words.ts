// A request budget as people say it: "150 requests a minute", "10,000 requests a second",
// "300 requests every 5 minutes"; never a fraction such as "10,000/1 s". One place, so the
// check's strategy line and the preview's cost line say it alike.

const count = (n: number): string => n.toLocaleString('en-US');
const plural = (n: number, word: string): string => `${count(n)} ${n === 1 ? word : `${word}s`}`;

const SECOND = 1_000;
const MINUTE = 60_000;
const HOUR = 3_600_000;

/** How often `windowMs` comes round: "a second", "a minute", "every 5 minutes", "every 1.5 seconds". */
function perWindow(windowMs: number): string {
  if (windowMs === SECOND) return 'a second';
  if (windowMs === MINUTE) return 'a minute';
  if (windowMs === HOUR) return 'an hour';
  if (windowMs % HOUR === 0) return `every ${count(windowMs / HOUR)} hours`;
  if (windowMs % MINUTE === 0) return `every ${count(windowMs / MINUTE)} minutes`;
  return `every ${count(Math.round((windowMs / SECOND) * 1000) / 1000)} seconds`;
}

/** `limit` requests per `windowMs`, in words: "120 requests a minute". */
export function describeRate(limit: number, windowMs: number): string {
  return `${plural(limit, 'request')} ${perWindow(windowMs)}`;
}
