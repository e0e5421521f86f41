import { describe, expect, it } from 'vitest';
import { filterValuesFor, keyOfLead, leadKeyOf, looksLikePropexoId } from '../../../app/lookup/lead-keys.ts';

describe('lead keys', () => {
  it('trims x_ids, lowers e-mails, and reads phones as their ten digits', () => {
    expect(leadKeyOf('x_id', '  GC-1001 ')).toBe('GC-1001');
    expect(leadKeyOf('email_1', ' Ava.Kim@Example.COM')).toBe('ava.kim@example.com');
    for (const phone of ['(512) 555-0134', '+1 512.555.0134', '1-512-555-0134', '5125550134'])
      expect(leadKeyOf('phone_1', phone), phone).toBe('5125550134');
    expect(leadKeyOf('x_id', '   ')).toBeNull();
    expect(leadKeyOf('phone_1', 'n/a')).toBeNull();
    expect(keyOfLead('email_1', { id: 'l1', x_id: 'X', email_1: 'A@B.C', phone_1: null })).toBe('a@b.c');
  });

  it('asks Propexo for an e-mail as written and in lower case, and only for phones its filter accepts', () => {
    expect(filterValuesFor('email_1', ' Ava@X.com ', 'ava@x.com')).toEqual(['Ava@X.com', 'ava@x.com']);
    expect(filterValuesFor('email_1', 'ava@x.com', 'ava@x.com')).toEqual(['ava@x.com']);
    expect(filterValuesFor('phone_1', '(512) 555-0134', '5125550134')).toEqual(['5125550134']);
    expect(filterValuesFor('phone_1', '555-0134', '5550134')).toEqual([]);
  });

  it('tells Propexo ids from PMS ids', () => {
    for (const id of ['sim_lead_000123', 'ls_001_002', 'clx0a1b2c3d4e5f6g7h8i9j0k', '3f2b8c1e-9d4a-4b7e-8f00-1234567890ab'])
      expect(looksLikePropexoId(id), id).toBe(true);
    for (const id of ['GC100123', '48213', 'P-2201', 'jane@example.com']) expect(looksLikePropexoId(id), id).toBe(false);
  });
});
