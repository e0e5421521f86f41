import { describe, expect, it } from 'vitest';
import * as E from 'fp-ts/Either';
import { CellCodec, CellFailure } from '../../../app/lead/cell-codec.ts';
import {
  BooleanFromCell,
  CentsFromMoneyCell,
  EmailFromCell,
  EnumFromCell,
  InitialFromCell,
  IntegerFromCell,
  LeadIdFromCell,
  ListFromCell,
  NumberFromCell,
  TextFromCell,
  emailProblem,
} from '../../../app/lead/cell-codecs.ts';
import type { Cell } from '../../../app/source/types.ts';

/** The value a codec decodes a cell to; fails the test with the codec's message otherwise. */
function value<A>(codec: CellCodec<A>, cell: Cell): A {
  const result = codec.parse(cell);
  if (result instanceof CellFailure) throw new Error(`expected ${JSON.stringify(cell)} to decode, got: ${result.message}`);
  return result;
}

/** The message a codec refuses a cell with; fails the test if it decodes. */
function refusal<A>(codec: CellCodec<A>, cell: Cell): string {
  const result = codec.parse(cell);
  if (!(result instanceof CellFailure)) throw new Error(`expected ${JSON.stringify(cell)} to fail, got ${JSON.stringify(result)}`);
  return result.message;
}

const STATUS = ['ACTIVE', 'COLD', 'INACTIVE', 'WAITLISTED'];
const INACTIVE_REASON = [
  'PRICE',
  'LOCATION',
  'AMENITIES',
  'NO_REASON',
  'DECIDED_NOT_TO_MOVE',
  'LEASING_CRITERIA_NOT_MET',
  'LOOKING_FOR_MOVE_IN_SPECIAL',
  'NO_AVAILABILITY',
  'DUPLICATE',
  'OTHER',
];

describe('the codecs through io-ts', () => {
  it('succeed with the parsed value', () => {
    expect(IntegerFromCell({ minimum: 0 }).decode('1,250')).toEqual(E.right(1250));
    expect(EnumFromCell(STATUS).decode('cold')).toEqual(E.right('COLD'));
  });

  it('fail with the same message as parse', () => {
    const result = IntegerFromCell({ minimum: 0 }).decode('3.5');
    expect(E.isLeft(result) && result.left.map((e) => e.message)).toEqual(["'3.5' is not a whole number"]);
  });

  it('refuse a blank cell on their own (the row decoder treats blank as "unchanged" before any codec)', () => {
    const parsers: ((cell: Cell) => unknown)[] = [
      TextFromCell.parse,
      EmailFromCell.parse,
      InitialFromCell.parse,
      BooleanFromCell.parse,
      IntegerFromCell().parse,
      NumberFromCell().parse,
      CentsFromMoneyCell({ unit: 'dollars', integer: true }).parse,
      EnumFromCell(STATUS).parse,
      ListFromCell().parse,
      LeadIdFromCell.parse,
    ];
    for (const parse of parsers) {
      const result = parse('   ');
      expect(result).toBeInstanceOf(CellFailure);
      expect((result as CellFailure).message).toBe(parse === LeadIdFromCell.parse ? 'lead id is missing' : 'the cell is empty');
    }
  });
});

describe('TextFromCell', () => {
  it('trims text', () => {
    expect(value(TextFromCell, '  Jane Doe \t')).toBe('Jane Doe');
  });

  it('keeps inner spaces and new lines', () => {
    expect(value(TextFromCell, 'line one\nline two')).toBe('line one\nline two');
  });

  it('writes XLSX numbers as plain decimal text, never with an exponent', () => {
    expect(value(TextFromCell, 5551234567)).toBe('5551234567');
    expect(value(TextFromCell, 1e21)).toBe('1000000000000000000000');
    expect(value(TextFromCell, 0.0000001)).toBe('0.0000001');
    expect(value(TextFromCell, 2.5)).toBe('2.5');
  });

  it('writes XLSX booleans and dates as the sheet shows them', () => {
    expect(value(TextFromCell, true)).toBe('TRUE');
    expect(value(TextFromCell, new Date(Date.UTC(2025, 2, 7)))).toBe('2025-03-07');
  });

  it('encodes to itself', () => {
    expect(TextFromCell.encode('x')).toBe('x');
    expect(TextFromCell.is('x')).toBe(true);
    expect(TextFromCell.is(3)).toBe(false);
  });
});

describe('EmailFromCell', () => {
  it.each(['jane@example.com', 'jane.doe+leads@mail.example.co.uk', 'J.Doe@Example.COM'])('accepts %s', (address) => {
    expect(value(EmailFromCell, ` ${address} `)).toBe(address);
  });

  it('drops a mailto: prefix from a copied hyperlink', () => {
    expect(value(EmailFromCell, 'mailto:jane@example.com')).toBe('jane@example.com');
  });

  it.each([
    ['jane.example.com', "'jane.example.com' is not an e-mail address (it has no @)"],
    ['jane@@example.com', "'jane@@example.com' is not an e-mail address (it has more than one @)"],
    ['jane doe@example.com', "'jane doe@example.com' is not an e-mail address (it contains a space)"],
    ['jane@example', "'jane@example' is not an e-mail address (the part after the @ needs a dot, as in example.com)"],
    ['@example.com', "'@example.com' is not an e-mail address (nothing comes before the @)"],
    ['jane@example..com', "'jane@example..com' is not an e-mail address (the part after the @ is not a domain name)"],
    ['jane@.example.com', "'jane@.example.com' is not an e-mail address (the part after the @ is not a domain name)"],
    ['jane@example.com.', "'jane@example.com.' is not an e-mail address (the part after the @ is not a domain name)"],
    ['a@x.com,b@y.com', "'a@x.com,b@y.com' is not an e-mail address (it contains ',')"],
  ])('refuses %s', (address, message) => {
    expect(refusal(EmailFromCell, address)).toBe(message);
  });

  it('refuses numbers', () => {
    expect(refusal(EmailFromCell, 42)).toBe("'42' is not an e-mail address");
  });

  it('emailProblem agrees with the codec', () => {
    expect(emailProblem('a@b.co')).toBeNull();
    expect(emailProblem('a@b')).not.toBeNull();
  });
});

describe('InitialFromCell', () => {
  it.each([
    ['J', 'J'],
    ['J.', 'J'],
    [' j ', 'j'],
    ['Ł', 'Ł'],
  ])('accepts %j as %j', (cell, expected) => {
    expect(value(InitialFromCell, cell)).toBe(expected);
  });

  it.each(['JR', 'J.R.', '3', '.', 'Jo.'])('refuses %j', (cell) => {
    expect(refusal(InitialFromCell, cell)).toBe(`'${cell}' is not a single letter (a middle initial is one letter, such as J)`);
  });

  it('refuses an XLSX number', () => {
    expect(refusal(InitialFromCell, 7)).toMatch(/^'7' is not a letter/);
  });
});

describe('BooleanFromCell', () => {
  it.each(['true', 'TRUE', 'True', 'yes', 'YES', 'y', 'Y', '1', 't', 'T', ' yes '])('reads %j as true', (cell) => {
    expect(value(BooleanFromCell, cell)).toBe(true);
  });

  it.each(['false', 'FALSE', 'no', 'No', 'n', 'N', '0', 'f', 'F'])('reads %j as false', (cell) => {
    expect(value(BooleanFromCell, cell)).toBe(false);
  });

  it('reads XLSX booleans and the numbers 1 and 0', () => {
    expect(value(BooleanFromCell, true)).toBe(true);
    expect(value(BooleanFromCell, false)).toBe(false);
    expect(value(BooleanFromCell, 1)).toBe(true);
    expect(value(BooleanFromCell, 0)).toBe(false);
  });

  it.each([
    ['maybe', "'maybe' is not a yes/no value (write yes or no, true or false, y or n, 1 or 0)"],
    ['yse', "'yse' is not a yes/no value — did you mean yes?"],
    ['flase', "'flase' is not a yes/no value — did you mean false?"],
    ['ye', "'ye' is not a yes/no value — did you mean yes?"],
  ])('refuses %j', (cell, message) => {
    expect(refusal(BooleanFromCell, cell)).toBe(message);
  });

  it('refuses other numbers', () => {
    expect(refusal(BooleanFromCell, 2)).toBe("'2' is not a yes/no value (a number here must be 1 or 0)");
  });
});

describe('EnumFromCell', () => {
  const status = EnumFromCell(STATUS);
  const reason = EnumFromCell(INACTIVE_REASON);
  const applicant = EnumFromCell(['APPLICANT', 'CO_APPLICANT', 'OCCUPANT']);
  const phoneType = EnumFromCell(['FAX', 'HOME', 'MOBILE', 'WORK']);

  it.each([
    ['ACTIVE', 'ACTIVE'],
    ['active', 'ACTIVE'],
    [' Waitlisted ', 'WAITLISTED'],
  ])('reads status %j as %s', (cell, expected) => {
    expect(value(status, cell)).toBe(expected);
  });

  it('takes spaces or hyphens for underscores, in any case', () => {
    expect(value(applicant, 'co-applicant')).toBe('CO_APPLICANT');
    expect(value(applicant, 'Co Applicant')).toBe('CO_APPLICANT');
    expect(value(reason, 'Decided not to move')).toBe('DECIDED_NOT_TO_MOVE');
    expect(value(reason, 'decided  not  to   move')).toBe('DECIDED_NOT_TO_MOVE');
    expect(value(reason, 'no-reason')).toBe('NO_REASON');
  });

  it('suggests the value a typo means', () => {
    expect(refusal(status, 'Actve')).toBe("'Actve' is not one of ACTIVE, COLD, INACTIVE, WAITLISTED — did you mean ACTIVE?");
    expect(refusal(status, 'Wait')).toBe("'Wait' is not one of ACTIVE, COLD, INACTIVE, WAITLISTED — did you mean WAITLISTED?");
    expect(refusal(phoneType, 'Mobile phone')).toBe("'Mobile phone' is not one of FAX, HOME, MOBILE, WORK — did you mean MOBILE?");
    expect(refusal(reason, 'Decided not to mov')).toMatch(/— did you mean DECIDED_NOT_TO_MOVE\?$/);
  });

  it('suggests nothing when nothing is close', () => {
    expect(refusal(status, 'Hot')).toBe("'Hot' is not one of ACTIVE, COLD, INACTIVE, WAITLISTED");
    expect(refusal(phoneType, 'cell')).toBe("'cell' is not one of FAX, HOME, MOBILE, WORK");
  });

  it('refuses non-text cells', () => {
    expect(refusal(status, 1)).toBe("'1' is not one of ACTIVE, COLD, INACTIVE, WAITLISTED");
  });

  it('returns the canonical value itself', () => {
    expect(status.is('ACTIVE')).toBe(true);
    expect(status.is('active')).toBe(false);
  });
});

describe('ListFromCell', () => {
  const units = ListFromCell({ maxItems: 25 });

  it('splits on ; or |, trims and drops empty parts', () => {
    expect(value(units, 'u1; u2 | u3')).toEqual(['u1', 'u2', 'u3']);
    expect(value(units, ' u1 ;; u2; ')).toEqual(['u1', 'u2']);
    expect(value(units, 'u1')).toEqual(['u1']);
  });

  it("uses the column's own separator", () => {
    const commas = ListFromCell({ separator: ',', maxItems: 25 });
    expect(value(commas, 'u1, u2,u3')).toEqual(['u1', 'u2', 'u3']);
    expect(commas.encode(['a', 'b'])).toBe('a,b');
  });

  it('reads an XLSX number as one item', () => {
    expect(value(units, 1234)).toEqual(['1234']);
  });

  it('accepts 25 items and refuses 26, naming the count', () => {
    const ids = (n: number): string => Array.from({ length: n }, (_, i) => `unit_${i}`).join(';');
    expect(value(units, ids(25))).toHaveLength(25);
    expect(refusal(units, ids(26))).toMatch(/ has 26 values; at most 25 are allowed$/);
  });

  it('refuses commas unless the column says so', () => {
    expect(refusal(units, 'u1, u2')).toBe(
      "'u1, u2' contains a comma: separate the values with ; or | (or set the column's list separator to ,)",
    );
  });

  it('refuses a cell of separators only', () => {
    expect(refusal(units, ' ; | ')).toBe("'; |' holds no values (leave the cell empty to keep the list unchanged)");
  });

  it('encodes with "; "', () => {
    expect(units.encode(['a', 'b'])).toBe('a; b');
  });
});

describe('LeadIdFromCell', () => {
  it('trims the id and reads XLSX numbers as text', () => {
    expect(value(LeadIdFromCell, ' lead_123 ')).toBe('lead_123');
    expect(value(LeadIdFromCell, 98765)).toBe('98765');
  });

  it('refuses what would change the request path', () => {
    expect(refusal(LeadIdFromCell, 'lead 1')).toBe("'lead 1' is not a lead id (it contains a space)");
    expect(refusal(LeadIdFromCell, '../admin')).toBe("'../admin' is not a lead id (it contains '/')");
    expect(refusal(LeadIdFromCell, 'a?b')).toBe("'a?b' is not a lead id (it contains '?')");
    expect(refusal(LeadIdFromCell, true)).toBe("'TRUE' is not a lead id");
  });
});
