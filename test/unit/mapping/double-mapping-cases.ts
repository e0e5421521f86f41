// The cases of a field two columns would fill, shared by the tests of both ways to choose
// columns (a mapping file: test/unit/mapping/edit-mapping.test.ts; the Map screen:
// test/unit/desktop/column-choices.test.ts), so that both are held to the one policy of
// app/mapping/edit-mapping.ts: refused, naming both columns.
import type { LeadFieldName } from '../../../app/lead/fields.ts';
import type { ColumnOptions } from '../../../app/mapping/types.ts';

export interface DoubleMappingCase {
  readonly name: string;
  /** A file's header; every column is chosen, in header order. */
  readonly header: readonly string[];
  readonly fields: readonly { readonly field: LeadFieldName; readonly options: Pick<ColumnOptions, 'split' | 'secondPhoneTo' | 'rawTo'> }[];
  /** The refusal, without the file's name. */
  readonly refusal: string;
  /** The column the refusal leaves out. */
  readonly later: number;
}

const ONE_COLUMN_ONLY = 'a field can come from one column only';

export const DOUBLE_MAPPING_CASES: readonly DoubleMappingCase[] = [
  {
    name: 'two columns mapped to one field',
    header: ['Lead ID', 'Email', 'E-mail'],
    fields: [
      { field: 'lead_id', options: {} },
      { field: 'email_1', options: {} },
      { field: 'email_1', options: {} },
    ],
    refusal: `email_1 is mapped to both "Email" and "E-mail": ${ONE_COLUMN_ONLY}`,
    later: 2,
  },
  {
    name: "a name split onto a column's last name",
    header: ['Lead ID', 'Name', 'Surname'],
    fields: [
      { field: 'lead_id', options: {} },
      { field: 'first_name', options: { split: 'last, first' } },
      { field: 'last_name', options: {} },
    ],
    refusal: `last_name is filled from both "Name" and "Surname": ${ONE_COLUMN_ONLY}`,
    later: 2,
  },
  {
    name: "a second phone onto a column's phone field",
    header: ['Lead ID', 'Phone', 'Other Phone'],
    fields: [
      { field: 'lead_id', options: {} },
      { field: 'phone_1', options: { secondPhoneTo: 'phone_2' } },
      { field: 'phone_2', options: {} },
    ],
    refusal: `phone_2 is filled from both "Phone" and "Other Phone": ${ONE_COLUMN_ONLY}`,
    later: 2,
  },
  {
    name: 'a raw status onto a column mapped to status_raw',
    header: ['Lead ID', 'Status Text', 'Status'],
    fields: [
      { field: 'lead_id', options: {} },
      { field: 'status_raw', options: {} },
      { field: 'status', options: { rawTo: 'status_raw' } },
    ],
    refusal: `status_raw is filled from both "Status Text" and "Status": ${ONE_COLUMN_ONLY}`,
    later: 2,
  },
];
