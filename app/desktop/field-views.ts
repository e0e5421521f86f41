// The lead fields a spreadsheet column can fill, as the mapping picker shows them.
import { fieldSpecs, type FieldSpec } from '../lead/fields.ts';
import { isMappableField } from '../mapping/auto-map.ts';
import type { FieldView } from './views.ts';

function fieldView(spec: FieldSpec): FieldView {
  return {
    name: spec.name,
    description: spec.description,
    kind: spec.type.kind,
    ...(spec.type.kind === 'enum' ? { values: [...spec.type.values] } : {}),
    deprecated: spec.deprecated,
    ...(spec.replacedBy !== undefined ? { replacedBy: spec.replacedBy } : {}),
  };
}

/** Every mappable field in the schema's order (the deprecated `events` cannot come from a cell). */
export const fieldViews: readonly FieldView[] = Object.freeze(fieldSpecs.filter((spec) => isMappableField(spec.name)).map(fieldView));
