// The lead fields a spreadsheet column can fill, as the mapping picker shows them.
// Labels travel with the views over the bridge (rather than through a module the renderer
// imports): the renderer already asks for this list once, and every screen that names a field
// gets its words from it, so there is one table and no second cross-process module to guard.
import { fieldSpecs, type FieldSpec } from '../lead/fields.ts';
import { fieldLabels } from '../lead/field-labels.ts';
import { isMappableField } from '../mapping/auto-map.ts';
import { fieldSynonyms } from '../mapping/synonyms.ts';
import type { FieldView } from '../shared/views.ts';

function fieldView(spec: FieldSpec): FieldView {
  return {
    name: spec.name,
    label: fieldLabels[spec.name].label,
    explanation: fieldLabels[spec.name].explanation,
    description: spec.description,
    synonyms: [...(fieldSynonyms[spec.name] ?? [])],
    kind: spec.type.kind,
    ...(spec.type.kind === 'enum' ? { values: [...spec.type.values] } : {}),
    deprecated: spec.deprecated,
    ...(spec.replacedBy !== undefined ? { replacedBy: spec.replacedBy } : {}),
  };
}

/** Every mappable field in the schema's order (the deprecated `events` cannot come from a cell). */
export const fieldViews: readonly FieldView[] = Object.freeze(fieldSpecs.filter((spec) => isMappableField(spec.name)).map(fieldView));
