// Defence in depth for the API token: whatever text run storage is about to write, any
// occurrence of a known secret is replaced before it reaches the disk. The codecs already
// make a token field impossible; this catches a token pasted into free text (a mapping, a
// server message echoing a header).

import { MIN_SECRET_LENGTH, REDACTED } from '../propexo/redact.ts';

export type Redactor = (text: string) => string;

export function makeRedactor(secrets: readonly string[] = []): Redactor {
  const needles = new Set<string>();
  for (const secret of secrets) {
    if (secret.length < MIN_SECRET_LENGTH) continue;
    needles.add(secret);
    // As it appears inside a JSON string (a token with a quote or backslash is escaped).
    needles.add(JSON.stringify(secret).slice(1, -1));
  }
  if (needles.size === 0) return (text) => text;
  const list = [...needles];
  return (text) => {
    let out = text;
    for (const needle of list) if (out.includes(needle)) out = out.split(needle).join(REDACTED);
    return out;
  };
}
