// Asking per row or listing the scope: whichever costs fewer requests. The probe (`limit=1`)
// that tells the scope's size is spent either way; listing also reads one page of the leads
// changed while it ran (see lead-matcher.ts). Time is priced at the rate budget: requests past
// what one window grants wait for the next window.
import type { BudgetRate } from './lookup-reader.ts';
import { maxPageSize } from '../propexo/read-codecs.ts';
import { describeRate } from '../shared/rate-words.ts';

export type StrategyKind = 'per_row' | 'list';

export interface StrategyCost {
  readonly kind: StrategyKind;
  /** Requests after the probe. */
  readonly requests: number;
  /** Time those requests take at the budget's rate alone (network time not counted). */
  readonly ms: number;
}

export interface StrategyChoice {
  readonly chosen: StrategyCost;
  readonly other: StrategyCost;
  /** The scope's size the probe told. */
  readonly total: number;
  /** Keys to look up (distinct). */
  readonly keys: number;
}

/** Listing reads one page of leads changed meanwhile, after the pages themselves. */
export const listingCheckRequests = 1;

export const listingRequests = (total: number): number => Math.ceil(total / maxPageSize) + listingCheckRequests;

/** The time `requests` take when `limit` are granted per `windowMs` (the first window's share at once). */
export const timeAtBudgetMs = (requests: number, rate: BudgetRate): number =>
  requests <= rate.limit ? 0 : Math.ceil(requests / rate.limit - 1) * rate.windowMs;

/** Chooses the cheaper in requests; at a tie, asking per row (it reads no more than the rows need). */
export function chooseStrategy(keys: number, requestsPerKey: number, total: number, rate: BudgetRate): StrategyChoice {
  const cost = (kind: StrategyKind, requests: number): StrategyCost => ({ kind, requests, ms: timeAtBudgetMs(requests, rate) });
  const perRow = cost('per_row', Math.ceil(keys * requestsPerKey));
  const list = cost('list', listingRequests(total));
  return perRow.requests <= list.requests ? { chosen: perRow, other: list, total, keys } : { chosen: list, other: perRow, total, keys };
}

/**
 * One line for people: "listing the scope (20,000 leads): 82 requests with the size probe, no
 * waiting at 150 requests a minute; asking per row would cost 10,001".
 */
export function describeStrategy(choice: StrategyChoice, rate: BudgetRate): string {
  const n = (x: number): string => x.toLocaleString('en-US');
  const time = (ms: number): string => (ms < 60_000 ? `${Math.round(ms / 1000)} s` : `${Math.round(ms / 60_000)} min`);
  // Within the first window's share nothing waits (this line said "about 0 s of waiting").
  const waiting = (ms: number): string => (ms < 1_000 ? 'no waiting' : `about ${time(ms)} of waiting`);
  const what =
    choice.chosen.kind === 'list'
      ? `listing the scope (${n(choice.total)} leads)`
      : `asking per row (${n(choice.keys)} ${choice.keys === 1 ? 'key' : 'keys'})`;
  const other = choice.other.kind === 'list' ? 'listing the scope' : 'asking per row';
  return `${what}: ${n(choice.chosen.requests + 1)} requests with the size probe, ${waiting(choice.chosen.ms)} at ${describeRate(rate.limit, rate.windowMs)}; ${other} would cost ${n(choice.other.requests + 1)}`;
}
