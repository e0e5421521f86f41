// What US property managers actually write as column headers, per Propexo lead field.
// Matching folds case, spaces and punctuation, so one spelling per wording is enough
// ("E-mail Address" also covers "e-mail address" and "EMAIL_ADDRESS"). Deprecated fields
// have no synonyms on purpose: they are matched only by their own name, so ordinary words
// lead to the fields Propexo wants written.
import type { LeadFieldName } from '../lead/fields.ts';

/**
 * Headers of the source system's own lead id (Propexo keeps it as the lead's `x_id`): such a
 * column names the lead, to be looked up by x_id — never sent as Propexo's lead id. Their
 * words are added to lead_id's synonyms below; `leadKeyOfHeader` tells the match.
 */
export const xIdHeaders: readonly string[] = [
  'Guest Card ID', 'Guestcard ID', 'Guest Card', 'Prospect ID', 'Yardi ID', 'Yardi Prospect ID', 'PMS ID', 'PMS Lead ID', 'Record ID',
  'External ID', 'RealPage ID', 'Entrata ID', 'CRM ID',
];

export const fieldSynonyms: Partial<Record<LeadFieldName, readonly string[]>> = {
  lead_id: ['Lead ID', 'ID', 'Propexo ID', 'Propexo Lead ID', 'Lead Propexo ID', 'x_id', ...xIdHeaders],
  employee_id: [
    'Agent', 'Agent ID', 'Leasing Agent', 'Leasing Agent ID', 'Leasing Consultant', 'Assigned Agent', 'Assigned To', 'Employee',
  ],
  desired_unit_ids: ['Units', 'Desired Units', 'Unit IDs', 'Interested Units', 'Units of Interest'],
  unit_id: ['Unit', 'Unit ID'],
  first_name: ['First', 'First Name', 'Given Name', 'FName', 'Forename', 'Lead First Name', 'Prospect First Name', 'Contact First Name'],
  last_name: ['Last', 'Last Name', 'Surname', 'Family Name', 'LName', 'Lead Last Name', 'Prospect Last Name', 'Contact Last Name'],
  middle_initial: ['MI', 'M.I.', 'Middle Initial', 'Middle Init'],
  middle_name: ['Middle'],
  number_of_additional_occupants: ['Additional Occupants', '# Additional Occupants', "Add'l Occupants", 'Addl Occupants', 'Other Occupants'],
  number_of_occupants: ['Occupants', '# Occupants', 'Num Occupants', 'Total Occupants', 'Household Size'],
  desired_num_bathrooms: ['Baths', 'Bathrooms', '# Baths', 'Bath', 'Desired Baths', 'Num Bathrooms', 'Number of Bathrooms'],
  desired_num_bedrooms: ['Beds', 'Bedrooms', '# Beds', 'Bed', 'Desired Beds', 'Num Bedrooms', 'Number of Bedrooms', 'BR'],
  credit_score: ['Credit Score', 'FICO', 'FICO Score', 'Credit'],
  target_move_in_date: [
    'Move-in Date', 'Move In', 'Move-in', 'Desired Move-in', 'Target Move-in', 'Expected Move-in', 'Expected Move-in Date',
    'Preferred Move-in Date', 'Anticipated Move-in', 'Move Date', 'Moving Date', 'Move-in Preference', 'Date Needed', 'Needed By',
  ],
  email_1: [
    'Email', 'E-mail', 'E-mail Address', 'Email Address', 'Primary Email', 'Primary Email Address', 'Email Addr', 'Contact Email',
    'Lead Email', 'Prospect Email', 'E-mail 1 - Value',
  ],
  has_cats: ['Cats', 'Cat', 'Has Cat'],
  has_dogs: ['Dogs', 'Dog', 'Has Dog'],
  // Not "Pets": a column about pets in general is not "pets other than cats and dogs".
  has_other_pets: ['Other Pets', 'Other Pet', 'Has Other Pets'],
  desired_max_rent_in_cents: [
    'Max Rent', 'Maximum Rent', 'Budget', 'Max Budget', 'Rent Budget', 'Budget Max', 'Rent Max', 'Max Price', 'Price Max',
    'Desired Rent', 'Desired Max Rent', 'Max Monthly Rent',
  ],
  desired_min_rent_in_cents: ['Min Rent', 'Minimum Rent', 'Min Budget', 'Budget Min', 'Rent Min', 'Min Price', 'Price Min', 'Desired Min Rent'],
  monthly_income_in_cents: ['Monthly Income', 'Income', 'Gross Monthly Income', 'Monthly Gross Income', 'Gross Income'],
  phone_1: [
    'Phone', 'Mobile', 'Cell', 'Cell Phone', 'Mobile Phone', 'Primary Phone', 'Phone Number', 'Primary Phone Number', 'Cell #',
    'Mobile #', 'Telephone', 'Tel', 'Contact Phone', 'Mobile Phone Number', 'Mobile Number', 'Cell Number', 'Cell Phone Number',
    'Phone 1 - Value',
  ],
  lead_source: ['Source', 'Lead Source', 'Marketing Source', 'Referral Source', 'Ad Source', 'Traffic Source', 'How Did You Hear About Us'],
  status: ['Status', 'Lead Status', 'Prospect Status'],
  inactive_reason: ['Inactive Reason', 'Lost Reason', 'Reason Lost', 'Reason Inactive'],
  phone_1_type: ['Phone Type', 'Primary Phone Type'],
  phone_2: [
    'Phone 2', 'Alt Phone', 'Alternate Phone', 'Home Phone', 'Work Phone', 'Secondary Phone', 'Second Phone', 'Other Phone',
    'Phone Number 2', 'Alt Phone Number', 'Office Phone', 'Business Phone', 'Phone 2 - Value',
  ],
  phone_2_type: ['Alt Phone Type', 'Secondary Phone Type'],
  address_1: ['Address', 'Street', 'Street Address', 'Address Line 1', 'Addr 1', 'Address1', 'Mailing Address', 'Current Address'],
  address_2: ['Apt', 'Apt #', 'Suite', 'Apt/Suite', 'Apartment', 'Address Line 2', 'Addr 2'],
  city: ['City', 'Town'],
  state: ['State', 'State/Province', 'Province', 'State/Region', 'State/Province/Region'],
  zip: ['Zip', 'Zip Code', 'ZIP/Postal Code', 'Postal Code', 'Postcode'],
  country: ['Country', 'Country/Region'],
  notes: ['Notes', 'Note', 'Comments', 'Comment', 'Remarks', 'Lead Notes'],
  floor_plan_id: ['Floor Plan', 'Floorplan', 'Floorplan ID', 'Desired Floor Plan'],
  desired_unit_type: ['Unit Type', 'Apartment Type', 'Home Type'],
  applicant_status: ['Applicant Status', 'Applicant Type', 'Applicant Role'],
  date_of_birth: ['DOB', 'D.O.B.', 'Birth Date', 'Birthdate', 'Birthday', 'Date of Birth'],
  desired_lease_term_in_months: ['Lease Term', 'Lease Length', 'Desired Lease Term', 'Lease Duration', 'Term Length', 'Lease Months', 'Term'],
  lease_period_id: ['Lease Period'],
  lead_source_id: ['Source ID'],
  lead_relationship_id: ['Relationship ID'],
  address_type_id: ['Address Type'],
  status_raw: ['Raw Status', 'PMS Status'],
};
