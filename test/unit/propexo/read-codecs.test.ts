// The read codecs name a few fields of each item by hand (for their static types); this checks
// every one of them against the document's own property schema, so a change on either side is
// noticed: for each sample value, the codec accepts it exactly when the schema does.
import { describe, expect, it } from 'vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type * as t from 'io-ts';
import { LeadAnswer, listEndpointNames, listEndpoints, readsDocument, readSchemas } from '../../../app/propexo/read-codecs.ts';

const ajv = new Ajv2020({ strict: false });
ajv.addSchema({ $id: 'reads', components: readsDocument.components });

type Node = { readonly properties?: Readonly<Record<string, Node>>; readonly items?: Node; readonly $ref?: string };
const resolve = (node: Node): Node => (node.$ref ? (readSchemas[node.$ref.replace('#/components/schemas/', '')] as Node) : node);
const itemSchema = (output: string): Node => resolve((readSchemas[output] as Node).properties?.results?.items ?? {});

const samples: readonly unknown[] = ['text', '', 'ENTRATA', 0, 2, 1.5, -1, true, false, null, [], ['a'], [1], {}, { a: 1 }];

/** The item codec's own props (t.type's `props`). */
const propsOf = (codec: t.Mixed): Readonly<Record<string, t.Mixed>> => (codec as unknown as { props: Record<string, t.Mixed> }).props;

describe('read codecs against openapi-reads.json', () => {
  for (const endpoint of listEndpointNames) {
    it(`${endpoint}: every field the codec names exists, is required, and accepts what the document accepts`, () => {
      const schema = itemSchema(listEndpoints[endpoint].output) as Node & { readonly required?: readonly string[] };
      const mismatches: string[] = [];
      for (const [field, codec] of Object.entries(propsOf(listEndpoints[endpoint].item))) {
        const property = schema.properties?.[field];
        if (property === undefined) {
          mismatches.push(`${field}: not in the document`);
          continue;
        }
        if (!(schema.required ?? []).includes(field)) mismatches.push(`${field}: not required by the document`);
        const validate = ajv.compile(property.$ref ? { $ref: `reads${property.$ref}` } : property);
        const isEnum = (resolve(property) as { enum?: unknown }).enum !== undefined;
        for (const sample of samples) {
          const ours = codec.is(sample);
          const theirs = validate(sample);
          // An enum is read as a plain string: a vendor Propexo adds tomorrow must not make a page unreadable.
          const lenient = isEnum && !theirs && typeof sample === 'string';
          if (ours !== theirs && !lenient) mismatches.push(`${field}: ${JSON.stringify(sample)} codec ${ours} document ${theirs}`);
        }
      }
      expect(mismatches).toEqual([]);
    });
  }

  it('the GET lead answer is the list item Lead under results', () => {
    expect(LeadAnswer.is({ meta: { orderBy: [] }, results: {} })).toBe(false);
    const required = (readSchemas['_v1_leads_{id}_get_output'] as { required?: readonly string[] }).required;
    expect(required).toEqual(['meta', 'results']);
  });
});
