// What app/simulator/practice-thread.ts and its worker (practice-worker.ts) share: the messages
// that cross the thread boundary. Plain data only (structured clone).
import type { SimulatorOptions } from './options.ts';
import type { Counts } from './record.ts';
import type { JsonValue } from './seed-data.ts';

export interface PracticeThreadRequest {
  /** The simulator's options: the practice preset with the caller's overrides on top. */
  readonly options: Partial<SimulatorOptions>;
  readonly recordLimit: number;
  readonly stateLimit: number;
}

/** The few calls the thread answers besides serving HTTP (tests change leads behind the importer's back). */
export type PracticeCall =
  | { readonly method: 'lead'; readonly leadId: string }
  | { readonly method: 'changeLead'; readonly leadId: string; readonly patch: Readonly<Record<string, JsonValue>> }
  | { readonly method: 'counts' }
  | { readonly method: 'close' };

export type PracticeRequestMessage = { readonly type: 'practice-call'; readonly id: number; readonly call: PracticeCall };

export type PracticeAnswerMessage =
  | { readonly type: 'practice-listening'; readonly url: string }
  | { readonly type: 'practice-start-failed'; readonly message: string }
  | { readonly type: 'practice-answer'; readonly id: number; readonly value: PracticeCallValue }
  | { readonly type: 'practice-call-failed'; readonly id: number; readonly message: string };

export type PracticeCallValue = Readonly<Record<string, JsonValue>> | Counts | undefined;

export const isPracticeAnswer = (message: unknown): message is PracticeAnswerMessage =>
  typeof message === 'object' &&
  message !== null &&
  'type' in message &&
  typeof message.type === 'string' &&
  message.type.startsWith('practice-');
