// The encodings a text file can be read in, as an io-ts codec: one list for the CLI, the bridge
// (the Map screen's Encoding menu) and run.json. app/source/encoding.ts says which are detected.
import * as t from 'io-ts';

/** The encodings a text file can be read in (one list for the CLI, the bridge and run.json; encoding.ts says which are detected). */
export const SupportedEncodingCodec = t.keyof(
  { 'utf-8': null, 'utf-16le': null, 'utf-16be': null, 'windows-1252': null, 'iso-8859-1': null, 'iso-8859-7': null, 'windows-1251': null },
  'encoding',
);
export type SupportedEncoding = t.TypeOf<typeof SupportedEncodingCodec>;
