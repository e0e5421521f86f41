// The names of the states a row can be in, as io-ts codecs: what the bridge's arguments, the
// journal and run views decode. Built from the lists of outcomes.ts (which stays free of io-ts,
// so the renderer can import its values without bundling the codecs).
import * as t from 'io-ts';
import { FINAL_OUTCOMES, ROW_STATES } from './outcomes.ts';

const keysOf = <K extends string>(names: readonly K[]): Record<K, null> =>
  Object.fromEntries(names.map((name) => [name, null])) as Record<K, null>;

/** Final outcomes of a row that was to be sent (invalid and skipped rows never get here). */
export const SendOutcome = t.keyof(keysOf(FINAL_OUTCOMES), 'SendOutcome');
export type SendOutcome = t.TypeOf<typeof SendOutcome>;

/** Every state a row can show, live and final, including rows that are never sent. */
export const RowState = t.keyof(keysOf(ROW_STATES), 'RowState');
export type RowState = t.TypeOf<typeof RowState>;
