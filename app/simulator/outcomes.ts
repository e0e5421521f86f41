// What the property-management system behind Propexo makes of a write: decided once per job
// from the job's own random stream, with the kind of messages PMSs really send back.
import type { Random } from './random.ts';
import { pick } from './random.ts';
import type { WriteOutcome } from './options.ts';

export interface JobOutcome {
  readonly status: WriteOutcome;
  /** PMS messages; FAILURE can come with none at all. */
  readonly errors: readonly string[];
}

const vendorNames: Readonly<Record<string, string>> = {
  ENTRATA: 'Entrata',
  REALPAGE: 'RealPage',
  REALPAGE_RPX: 'RealPage RPX',
  RESMAN: 'ResMan',
  MRI: 'MRI',
  RENTMANAGER: 'Rent Manager',
  RENTVINE: 'Rentvine',
  BUILDIUM: 'Buildium',
  KNOCK: 'Knock',
  FUNNEL: 'Funnel',
  PROPERTYWARE: 'Propertyware',
  PROPERTYWARE_REST: 'Propertyware',
};

export const vendorDisplayName = (vendor: string): string => vendorNames[vendor] ?? 'Sample PMS';

const failureMessages: readonly string[] = [
  'Lead is locked by another process',
  'Invalid value for MoveInDate',
  'Request to the PMS timed out after 30 seconds',
  'Lead was not found in the property-management system',
  'Property is not configured to accept lead updates',
  'Desired unit is no longer available',
  'Leasing agent does not exist at this property',
];

const partialMessages: readonly string[] = [
  'Phone number was not saved: unsupported format',
  'Pet information is not supported and was skipped',
  'Notes were truncated to 2000 characters',
  'Desired unit preferences were ignored: unit is not leasable',
  'Inactive reason is not supported for this property and was skipped',
];

export interface OutcomeRates {
  readonly successRate: number;
  readonly partialRate: number;
  readonly failureWithoutErrorsRate: number;
}

/** Messages for a given status, prefixed with the PMS name as Propexo relays them. */
export function messagesFor(status: WriteOutcome, random: Random, vendor: string, failureWithoutErrorsRate: number): string[] {
  const name = vendorDisplayName(vendor);
  if (status === 'SUCCESS') return [];
  if (status === 'PARTIAL_SUCCESS') return [`${name}: ${pick(random, partialMessages)}`];
  if (random() < failureWithoutErrorsRate) return [];
  const first = pick(random, failureMessages);
  // Now and then the PMS reports two problems at once.
  if (random() < 0.2) {
    const second = pick(random, failureMessages);
    if (second !== first) return [`${name}: ${first}`, `${name}: ${second}`];
  }
  return [`${name}: ${first}`];
}

/** Draws a status at the given rates (FAILURE takes what SUCCESS and PARTIAL_SUCCESS leave). */
export function drawStatus(random: Random, rates: Pick<OutcomeRates, 'successRate' | 'partialRate'>): WriteOutcome {
  const u = random();
  if (u < rates.successRate) return 'SUCCESS';
  if (u < rates.successRate + rates.partialRate) return 'PARTIAL_SUCCESS';
  return 'FAILURE';
}

export function drawOutcome(random: Random, rates: OutcomeRates, vendor: string, forced?: WriteOutcome): JobOutcome {
  const status = forced ?? drawStatus(random, rates);
  return { status, errors: messagesFor(status, random, vendor, rates.failureWithoutErrorsRate) };
}
