// Words real exports write for fields with a fixed list, keyed by `normalizeWord`
// ("Cell Phone" → CELL_PHONE). Two kinds, on purpose kept apart:
// - aliases: read by the field's codec itself, because they mean one thing in every export
//   ("Cell" is a mobile phone wherever it is written);
// - suggestions: only offered (Map screen, `lead-import map`), never applied unless the user
//   puts them in the column's value table: "Working" or "Open Deal" is ACTIVE in one CRM's
//   workflow and something else in another's.
import type { TableValue } from '../mapping/types.ts';
import type { LeadFieldName } from './fields.ts';

const PHONE_TYPE_ALIASES: Readonly<Record<string, string>> = {
  CELL: 'MOBILE',
  CELL_PHONE: 'MOBILE',
  CELLULAR: 'MOBILE',
  MOBILE_PHONE: 'MOBILE',
  // Google Contacts' and Outlook's "Main" is the household's main line.
  MAIN: 'HOME',
  HOME_PHONE: 'HOME',
  LANDLINE: 'HOME',
  WORK_PHONE: 'WORK',
  OFFICE: 'WORK',
  OFFICE_PHONE: 'WORK',
  BUSINESS: 'WORK',
  BUSINESS_PHONE: 'WORK',
  HOME_FAX: 'FAX',
  WORK_FAX: 'FAX',
  BUSINESS_FAX: 'FAX',
};

/** Other writings the codec itself reads for an enum field, or none. */
export function enumAliasesFor(field: LeadFieldName): Readonly<Record<string, string>> {
  return field === 'phone_1_type' || field === 'phone_2_type' ? PHONE_TYPE_ALIASES : {};
}

const STATUS_WORDS: Readonly<Record<string, string>> = {
  // Salesforce's, HubSpot's and Zoho's open stages: the lead is still being worked.
  NEW: 'ACTIVE',
  OPEN: 'ACTIVE',
  OPEN_DEAL: 'ACTIVE',
  NOT_CONTACTED: 'ACTIVE',
  OPEN_NOT_CONTACTED: 'ACTIVE',
  CONTACTED: 'ACTIVE',
  ATTEMPTED_TO_CONTACT: 'ACTIVE',
  CONTACT_IN_FUTURE: 'COLD',
  WORKING: 'ACTIVE',
  WORKING_CONTACTED: 'ACTIVE',
  IN_PROGRESS: 'ACTIVE',
  CONNECTED: 'ACTIVE',
  QUALIFIED: 'ACTIVE',
  ENGAGED: 'ACTIVE',
  HOT: 'ACTIVE',
  WARM: 'ACTIVE',
  PROSPECT: 'ACTIVE',
  TOUR_SCHEDULED: 'ACTIVE',
  TOURED: 'ACTIVE',
  APPOINTMENT_SCHEDULED: 'ACTIVE',
  // Gone quiet.
  NO_RESPONSE: 'COLD',
  UNRESPONSIVE: 'COLD',
  NURTURE: 'COLD',
  NURTURING: 'COLD',
  ON_HOLD: 'COLD',
  RECYCLED: 'COLD',
  // Closed without a lease.
  LOST: 'INACTIVE',
  LOST_LEAD: 'INACTIVE',
  CLOSED_LOST: 'INACTIVE',
  CLOSED_NOT_CONVERTED: 'INACTIVE',
  DEAD: 'INACTIVE',
  JUNK: 'INACTIVE',
  JUNK_LEAD: 'INACTIVE',
  UNQUALIFIED: 'INACTIVE',
  DISQUALIFIED: 'INACTIVE',
  NOT_INTERESTED: 'INACTIVE',
  CANCELLED: 'INACTIVE',
  CANCELED: 'INACTIVE',
  WAITLIST: 'WAITLISTED',
  WAIT_LIST: 'WAITLISTED',
  WAITING_LIST: 'WAITLISTED',
};

const INACTIVE_REASON_WORDS: Readonly<Record<string, string>> = {
  TOO_EXPENSIVE: 'PRICE',
  PRICE_TOO_HIGH: 'PRICE',
  RENT_TOO_HIGH: 'PRICE',
  BUDGET: 'PRICE',
  OVER_BUDGET: 'PRICE',
  BAD_LOCATION: 'LOCATION',
  TOO_FAR: 'LOCATION',
  NO_UNITS_AVAILABLE: 'NO_AVAILABILITY',
  NOTHING_AVAILABLE: 'NO_AVAILABILITY',
  NOT_AVAILABLE: 'NO_AVAILABILITY',
  DID_NOT_QUALIFY: 'LEASING_CRITERIA_NOT_MET',
  NOT_QUALIFIED: 'LEASING_CRITERIA_NOT_MET',
  FAILED_SCREENING: 'LEASING_CRITERIA_NOT_MET',
  DENIED: 'LEASING_CRITERIA_NOT_MET',
  NOT_MOVING: 'DECIDED_NOT_TO_MOVE',
  STAYING: 'DECIDED_NOT_TO_MOVE',
  RENEWED: 'DECIDED_NOT_TO_MOVE',
  RENEWED_LEASE: 'DECIDED_NOT_TO_MOVE',
  DUPLICATE_LEAD: 'DUPLICATE',
  DUPE: 'DUPLICATE',
  MOVE_IN_SPECIAL: 'LOOKING_FOR_MOVE_IN_SPECIAL',
  SPECIAL: 'LOOKING_FOR_MOVE_IN_SPECIAL',
  NONE: 'NO_REASON',
  NO_REASON_GIVEN: 'NO_REASON',
};

const APPLICANT_WORDS: Readonly<Record<string, string>> = {
  PRIMARY: 'APPLICANT',
  PRIMARY_APPLICANT: 'APPLICANT',
  MAIN_APPLICANT: 'APPLICANT',
  COAPPLICANT: 'CO_APPLICANT',
  DEPENDENT: 'OCCUPANT',
  MINOR: 'OCCUPANT',
  CHILD: 'OCCUPANT',
  OTHER_OCCUPANT: 'OCCUPANT',
};

const YES_NO_WORDS: Readonly<Record<string, boolean>> = {
  X: true,
  CHECKED: true,
  '✓': true,
  '✔': true,
  UNCHECKED: false,
  NONE: false,
};

/** Suggested targets for words of a field's column, to offer and never to apply unasked. */
export function suggestedWordsFor(field: LeadFieldName, kind: 'enum' | 'boolean'): Readonly<Record<string, TableValue>> {
  if (kind === 'boolean') return YES_NO_WORDS;
  switch (field) {
    case 'status':
      return STATUS_WORDS;
    case 'inactive_reason':
      return INACTIVE_REASON_WORDS;
    case 'applicant_status':
      return APPLICANT_WORDS;
    default:
      return {};
  }
}
