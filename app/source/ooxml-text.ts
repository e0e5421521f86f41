// Text in a workbook's XML: Excel writes characters XML 1.0 cannot hold (a CR would be read back
// as a line feed, control characters not at all) as `_xHHHH_`, and a literal `_xHHHH_` with its
// underscore escaped (`_x005F_xHHHH_`), so every text survives. Reading and writing follow it.

const ESCAPE = /_x([0-9A-Fa-f]{4})_/g;

/** A cell's text as Excel reads it: `_x000D_` is a CR, `_x005F_` an underscore. */
export function unescapeOoxml(text: string): string {
  if (text.indexOf('_x') === -1) return text;
  return text.replace(ESCAPE, (_match, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** Characters XML 1.0 loses or refuses, and the underscore of a literal `_xHHHH_`. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what it finds
const NEEDS_ESCAPE = /[\u0000-\u0008\u000B\u000C\u000D\u000E-\u001F\uFFFE\uFFFF]|_(?=x[0-9A-Fa-f]{4}_)/g;

/** A cell's text as Excel writes it, so that `unescapeOoxml` (and Excel) read it back unchanged. */
export function escapeOoxml(text: string): string {
  return text.replace(NEEDS_ESCAPE, (c) => `_x${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}_`);
}
