// How a Propexo field is named on every screen: what people call it first ("Move-in date"),
// then the API name, small and selectable, for talking to support or writing a mapping file.
// The labels come with the field views over the bridge (`listFields`), given once by the app.
import { createContext, useCallback, useContext, type ReactNode } from 'react';
import type { FieldView } from '../../app/shared/views.ts';
import { kindLabel } from '../format.ts';

export const FieldsContext = createContext<ReadonlyMap<string, FieldView>>(new Map());

export const fieldMap = (fields: readonly FieldView[] | null): ReadonlyMap<string, FieldView> =>
  new Map((fields ?? []).map((f) => [f.name, f]));

/** A field's label, or the name itself while the list is loading or for a name that is no field. */
export function useFieldLabel(): (name: string) => string {
  const fields = useContext(FieldsContext);
  return useCallback((name) => fields.get(name)?.label ?? name, [fields]);
}

export interface FieldNameProps {
  readonly name: string;
  /** Only the label (where the API name is shown next to it already, or cannot be selected). */
  readonly labelOnly?: boolean;
}

export function FieldName({ name, labelOnly = false }: FieldNameProps): ReactNode {
  const field = useContext(FieldsContext).get(name);
  if (field === undefined) return <code className="field-api">{name}</code>;
  return (
    <span className="field-name" title={field.explanation}>
      <span className="field-label">{field.label}</span>
      {labelOnly ? null : (
        <>
          {' '}
          <code className="field-api">{name}</code>
        </>
      )}
    </span>
  );
}

/** Under a chosen field: its API name (selectable), what it takes, and what it means. */
export function FieldHelp({ field }: { readonly field: FieldView }): ReactNode {
  return (
    <span className="field-help" title={field.description}>
      <code className="field-api">{field.name}</code>
      {' · '}
      <span className="field-kind">{kindLabel[field.kind]}</span>
      {field.kind === 'enum' && field.values !== undefined ? ` (${field.values.join(', ')})` : ''}
      {field.explanation === '' ? '' : ` · ${field.explanation}`}
    </span>
  );
}
