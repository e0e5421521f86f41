// How a header cell is read for matching: folded to a key of lowercase letters and digits
// ("E-mail Address", "email_address" and "EMAIL ADDRESS" are one key), with a second key
// that leaves out the unit or format decoration people add to headers ("Max Rent ($)",
// "Move-in Date (DD/MM/YYYY)", "Income per month").

/** Lowercase letters and digits only; accents dropped ("Prénom" → "prenom"). */
export function normalizeHeader(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

// Units and formats, the only asides that are dropped: "Lead ID (old)" is not "Lead ID".
const UNIT = String.raw`(?:in[\s_]+)?(?:\$|¢|usd|us\$|dollars?|cents?|months?|(?:per[\s_]+|/\s*)(?:month|mo|mth))`;
const DATE_FORMAT = String.raw`(?:[dmy]{1,4}[/.\- ]){1,2}[dmy]{1,4}`;
// A bracketed unit or format: "(USD)", "[cents]", "(DD/MM/YYYY)", "(optional)".
const BRACKETED = new RegExp(String.raw`[([{]\s*(?:${UNIT}|${DATE_FORMAT}|optional|required)\s*[)\]}]`, 'gi');
// A trailing one: "$", "in cents", "- USD", "/ month", "DD/MM/YYYY".
const TRAILING = new RegExp(String.raw`(?:^|[\s_\-,:/])(?:${UNIT}|${DATE_FORMAT})\s*$`, 'i');

/** The header without unit and format decorations, camelCase words spaced ("MaxRentCents" → "Max Rent"). */
export function stripDecorations(text: string): string {
  // camelCase words are words too: "MaxRentCents" ends in the unit "Cents".
  let stripped = text.replace(/([a-z])([A-Z])/g, '$1 $2').replace(BRACKETED, ' ');
  // Repeat: "Max Rent - USD $" carries two.
  for (let previous = ''; previous !== stripped;) {
    previous = stripped;
    stripped = stripped.replace(TRAILING, '').trimEnd();
  }
  return stripped.trim();
}

/**
 * The keys a header is matched by, most specific first: the whole header folded, then the
 * header without decorations (when that differs and leaves something).
 */
export function headerKeys(text: string): readonly string[] {
  const whole = normalizeHeader(text);
  const undecorated = normalizeHeader(stripDecorations(text));
  const keys: string[] = [];
  if (whole !== '') keys.push(whole);
  if (undecorated !== '' && undecorated !== whole) keys.push(undecorated);
  return keys;
}

/** The header's words, camelCase split too, lowercased: what option inference reads. */
export function headerWords(text: string): readonly string[] {
  return text
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9¢$]+|(?=[¢$])|(?<=[¢$])/)
    .filter((word) => word !== '');
}
