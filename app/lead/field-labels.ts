// What a leasing team calls each Propexo lead field, and one line on what it holds. The API name
// stays the field's identity; these words are only what people read. Written from the schema's
// descriptions where they say something, by hand where they only repeat the name ("The city
// associated with the lead"). A `Record` over the schema's names makes a new field without words
// a compile error, and `field-labels.test.ts` checks that none is empty or shared.
import type { LeadFieldName } from './fields.ts';

export interface FieldLabel {
  /** Short, in the user's words: "Move-in date", not `target_move_in_date`. */
  readonly label: string;
  /** One line on what the field holds and how a cell is read. */
  readonly explanation: string;
}

export const fieldLabels: Readonly<Record<LeadFieldName, FieldLabel>> = {
  lead_id: { label: 'Lead ID', explanation: 'Propexo’s ID of the lead to update; every row needs one.' },
  employee_id: { label: 'Leasing agent ID', explanation: 'Propexo’s ID of the employee the lead is assigned to.' },
  desired_unit_ids: { label: 'Units of interest', explanation: 'Propexo IDs of the units the lead is interested in, separated by commas.' },
  unit_id: { label: 'Unit ID', explanation: 'Propexo’s ID of the unit the lead is linked to.' },
  first_name: { label: 'First name', explanation: 'The lead’s first (given) name.' },
  last_name: { label: 'Last name', explanation: 'The lead’s last (family) name.' },
  number_of_additional_occupants: {
    label: 'Additional occupants',
    explanation: 'How many people will live with the lead, not counting the lead.',
  },
  desired_num_bathrooms: { label: 'Bathrooms wanted', explanation: 'The number of bathrooms the lead wants (1.5 is allowed).' },
  desired_num_bedrooms: { label: 'Bedrooms wanted', explanation: 'The number of bedrooms the lead wants.' },
  credit_score: { label: 'Credit score', explanation: 'The lead’s credit score, as written.' },
  target_move_in_date: { label: 'Move-in date', explanation: 'When the lead wants to move in; only the date is kept.' },
  email_1: { label: 'Email', explanation: 'The lead’s main email address.' },
  has_cats: { label: 'Has cats', explanation: 'Yes if the lead has cats.' },
  has_dogs: { label: 'Has dogs', explanation: 'Yes if the lead has dogs.' },
  has_other_pets: { label: 'Has other pets', explanation: 'Yes if the lead has pets other than cats and dogs.' },
  desired_max_rent_in_cents: {
    label: 'Max rent',
    explanation: 'The most the lead wants to pay a month; written in dollars or cents, sent in cents.',
  },
  monthly_income_in_cents: {
    label: 'Monthly income',
    explanation: 'The lead’s income a month; written in dollars or cents, sent in cents.',
  },
  middle_initial: { label: 'Middle initial', explanation: 'One letter: the first letter of the lead’s middle name.' },
  phone_1: { label: 'Phone', explanation: 'The lead’s main phone number.' },
  lead_source: { label: 'Lead source', explanation: 'Where the lead came from, by name (a website, a referral…).' },
  status: { label: 'Lead status', explanation: 'Where the lead is in the leasing process; one of Propexo’s statuses.' },
  inactive_reason: { label: 'Inactive reason', explanation: 'Why the lead is no longer active; one of Propexo’s reasons.' },
  desired_move_in_date: { label: 'Move-in date (old)', explanation: 'Replaced by Move-in date; kept for older files.' },
  desired_bathrooms: { label: 'Bathrooms (old)', explanation: 'Replaced by Bathrooms wanted; kept for older files.' },
  desired_bedrooms: { label: 'Bedrooms (old)', explanation: 'Replaced by Bedrooms wanted; kept for older files.' },
  lease_period_id: { label: 'Lease period ID', explanation: 'Propexo’s ID of the lease period the lead wants.' },
  lead_source_id: { label: 'Lead source ID', explanation: 'Propexo’s ID of the lead source (instead of its name).' },
  middle_name: { label: 'Middle name', explanation: 'The lead’s middle name.' },
  phone_1_type: { label: 'Phone type', explanation: 'What kind of number the main phone is (mobile, home, work…).' },
  phone_2: { label: 'Second phone', explanation: 'Another phone number for the lead.' },
  phone_2_type: { label: 'Second phone type', explanation: 'What kind of number the second phone is (mobile, home, work…).' },
  address_1: { label: 'Street address', explanation: 'The first line of the lead’s address.' },
  address_2: { label: 'Apartment or suite', explanation: 'The second line of the lead’s address.' },
  city: { label: 'City', explanation: 'The city of the lead’s address.' },
  state: { label: 'State', explanation: 'The state of the lead’s address.' },
  zip: { label: 'ZIP code', explanation: 'The ZIP or postal code of the lead’s address.' },
  desired_min_rent_in_cents: {
    label: 'Min rent',
    explanation: 'The least the lead expects to pay a month; written in dollars or cents, sent in cents.',
  },
  number_of_occupants: { label: 'Occupants', explanation: 'How many people will live in the unit, the lead included.' },
  notes: { label: 'Notes', explanation: 'Free text about the lead.' },
  events: { label: 'Events (old)', explanation: 'No longer written through leads; cannot come from a file.' },
  address_type_id: { label: 'Address type ID', explanation: 'Propexo’s ID of the address type; needed when the address changes.' },
  desired_lease_term_in_months: { label: 'Lease length (months)', explanation: 'How many months the lead wants the lease to last.' },
  applicant_status: { label: 'Applicant status', explanation: 'Whether the lead is active; Propexo uses Active when left empty.' },
  country: { label: 'Country', explanation: 'The country of the lead’s address.' },
  status_raw: { label: 'Status (as in your system)', explanation: 'The lead’s status in your property-management system’s own words.' },
  desired_unit_type: { label: 'Unit type wanted', explanation: 'The kind of unit the lead wants, as written (studio, 2-bed…).' },
  lead_relationship_id: { label: 'Relationship ID', explanation: 'Propexo’s ID of the lead’s relationship to the household.' },
  date_of_birth: { label: 'Date of birth', explanation: 'The lead’s date of birth.' },
  floor_plan_id: { label: 'Floor plan ID', explanation: 'Propexo’s ID of the floor plan the lead wants.' },
};

/** The label of a field name, or the name itself when it is not a lead field (a report column). */
export const labelOf = (name: string): string => (fieldLabels as Readonly<Record<string, FieldLabel>>)[name]?.label ?? name;
