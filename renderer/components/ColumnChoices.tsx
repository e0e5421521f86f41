// The Map screen's choices beyond a column's field, where the person must decide something the
// file cannot tell: the century of two-digit years, a whole-name column's split, where a second
// phone number goes (beside the field), and in a column's details row, the value table of an
// enum or yes/no column (its distinct values with counts; suggestions are offered, never chosen
// for the person), status_raw, and the cells that mean "blank"; and what the lead column names the
// lead by (Propexo's id, or a PMS id, e-mail or phone to look up). Every choice is a column
// option: saved templates keep it.
import { useEffect, useState, type ReactNode } from 'react';
import type { ColumnMappingView, ColumnOptionsView, ColumnValuesView, ColumnValueView, FieldView } from '../../app/shared/views.ts';
import { bridge } from '../bridge.ts';
import { count, plural } from '../format.ts';
import { ErrorText, Spinner } from './Bits.tsx';
import { decodeTarget, encodeTarget, entryFor, fold, targetText, withTarget, without } from './value-table.ts';

export const takesValueTable = (field: FieldView | undefined): boolean => field?.kind === 'enum' || field?.kind === 'boolean';
const isPhone = (name: string): boolean => /^phone_\d+$/.test(name);
const isName = (name: string): boolean => name === 'first_name' || name === 'last_name';

/** Small choices shown under the column's reading option (date century, name split, second phone). */
export function ExtraReadingChoices({
  column,
  field,
  fields,
  usedBy,
  disabled,
  onChange,
}: {
  column: ColumnMappingView;
  field: FieldView | undefined;
  fields: readonly FieldView[];
  usedBy: ReadonlyMap<string, string>;
  disabled: boolean;
  onChange: (options: ColumnOptionsView) => void;
}): ReactNode {
  if (field === undefined) return null;
  const label = `for column ${column.column}`;
  if (field.name === 'lead_id') {
    // Anything but Propexo's own id is looked up in Propexo before sending (Review's "Check against Propexo").
    return (
      <select
        className="select"
        aria-label={`What column ${column.column} names the lead by`}
        value={column.options.match ?? 'lead_id'}
        disabled={disabled}
        onChange={(e) => {
          const v = e.target.value;
          onChange(v === 'x_id' || v === 'email_1' || v === 'phone_1' ? { ...column.options, match: v } : without(column.options, 'match'));
        }}
      >
        <option value="lead_id">Propexo lead IDs</option>
        <option value="x_id">IDs of your system (guest card, prospect): looked up</option>
        <option value="email_1">E-mail addresses: looked up</option>
        <option value="phone_1">Phone numbers: looked up</option>
      </select>
    );
  }
  if (field.kind === 'date') {
    return (
      <select
        className="select"
        aria-label={`Two-digit years ${label}`}
        value={column.options.twoDigitYears ?? ''}
        disabled={disabled}
        onChange={(e) => {
          const v = e.target.value;
          onChange(v === '2000s' || v === '1900s' ? { ...column.options, twoDigitYears: v } : without(column.options, 'twoDigitYears'));
        }}
      >
        <option value="">Years like 25: refused</option>
        <option value="2000s">Years like 25 are 2025</option>
        <option value="1900s">Years like 25 are 1925</option>
      </select>
    );
  }
  // Offered where a split can be meant: the other name field is not sent from a column of its
  // own, or the values suggest it, or it is chosen already.
  const otherName = field.name === 'first_name' ? 'last_name' : 'first_name';
  if (isName(field.name) && (!usedBy.has(otherName) || column.splitSuggestion !== null || column.options.split !== undefined)) {
    const suggested = column.splitSuggestion;
    return (
      <>
        <select
          className="select"
          aria-label={`Name split ${label}`}
          aria-describedby={suggested === null ? undefined : `split-note-${column.index}`}
          value={column.options.split ?? ''}
          disabled={disabled}
          onChange={(e) => {
            const v = e.target.value;
            // A split column fills first_name and last_name: it is mapped as first_name.
            onChange(v === 'last, first' || v === 'first last' ? { ...column.options, split: v } : without(column.options, 'split'));
          }}
        >
          <option value="">Not split</option>
          <option value="last, first">Split “Last, First”</option>
          <option value="first last">Split “First Last”</option>
        </select>
        {suggested === null ? null : (
          <span className="choice-note" id={`split-note-${column.index}`}>
            Its values look like “{suggested === 'last, first' ? 'Last, First' : 'First Last'}”
          </span>
        )}
      </>
    );
  }
  if (isPhone(field.name)) {
    const others = fields.filter((f) => isPhone(f.name) && !f.deprecated && f.name !== field.name);
    return (
      <select
        className="select"
        aria-label={`Second number in a cell ${label}`}
        value={column.options.secondPhoneTo ?? ''}
        disabled={disabled}
        onChange={(e) =>
          onChange(e.target.value === '' ? without(column.options, 'secondPhoneTo') : { ...column.options, secondPhoneTo: e.target.value })
        }
      >
        <option value="">Second number: warn only</option>
        {others.map((f) => {
          const user = usedBy.get(f.name);
          return (
            <option key={f.name} value={f.name} disabled={user !== undefined && user !== column.column}>
              Second number → {f.name}
              {user !== undefined && user !== column.column ? ` (sent from “${user}”)` : ''}
            </option>
          );
        })}
      </select>
    );
  }
  return null;
}

interface ColumnDetailsProps {
  readonly importId: string;
  readonly column: ColumnMappingView;
  readonly field: FieldView;
  readonly disabled: boolean;
  readonly onChange: (options: ColumnOptionsView) => void;
}

/** A column's details: its value table (enum and yes/no fields) and its blank words. */
export function ColumnDetails({ importId, column, field, disabled, onChange }: ColumnDetailsProps): ReactNode {
  return (
    <div className="column-details">
      {takesValueTable(field) ? (
        <ValueTable importId={importId} column={column} field={field} disabled={disabled} onChange={onChange} />
      ) : null}
      <Placeholders column={column} disabled={disabled} onChange={onChange} />
    </div>
  );
}

function ValueTable({ importId, column, field, disabled, onChange }: ColumnDetailsProps): ReactNode {
  const [values, setValues] = useState<ColumnValuesView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  // The distinct values depend on the field and the blank words, not on the table being edited.
  const placeholdersKey = JSON.stringify(column.options.placeholders ?? null);
  useEffect(() => {
    let live = true;
    setError(null);
    void bridge()
      .columnValues({ importId, columnIndex: column.index })
      .then((result) => {
        if (!live) return;
        if (result.ok) setValues(result.value);
        else setError(`The values of “${column.column}” could not be read: ${result.error.message}`);
      });
    return () => {
      live = false;
    };
  }, [importId, column.index, column.column, field.name, placeholdersKey, attempt]);

  const heading = (
    <h3 className="details-title" id={`values-${column.index}`}>
      Values of “{column.column}” → {field.name}
    </h3>
  );
  if (error !== null) {
    return (
      <div className="value-table">
        {heading}
        <ErrorText message={error} onRetry={() => setAttempt(attempt + 1)} />
      </div>
    );
  }
  if (values === null || values.field !== field.name) {
    return (
      <div className="value-table">
        {heading}
        <p className="muted">
          <Spinner /> Reading the values of the column…
        </p>
      </div>
    );
  }
  const table = column.options.values;
  const undecided = values.values.filter((v) => v.reads === null && entryFor(table, v.text) === undefined);
  const suggested = undecided.filter((v) => v.suggestion !== null);
  const useSuggestions = (list: readonly ColumnValueView[]): void => {
    let next: ColumnOptionsView = column.options;
    for (const v of list) if (v.suggestion !== null) next = withTarget(next, v.text, v.suggestion);
    onChange(next);
  };

  return (
    <div className="value-table" data-testid={`value-table-${column.index}`}>
      {heading}
      <p className="details-text">
        {values.values.length === 0 ? (
          'The column has no values other than blanks.'
        ) : (
          <>
            {plural(values.distinct, 'distinct value')}
            {values.distinctIsExact ? '' : ' or more'}
            {values.distinct > values.values.length ? ` (the ${count(values.values.length)} most frequent listed)` : ''}. Choose what each
            is sent as; words Propexo already knows read as they are.{' '}
            {undecided.length > 0 ? (
              <strong className="value-table-undecided">
                {plural(undecided.length, 'value')} {undecided.length === 1 ? 'is' : 'are'} refused until you choose a target.
              </strong>
            ) : (
              'Every value is read.'
            )}
          </>
        )}
      </p>
      {suggested.length > 0 ? (
        <div className="value-table-actions">
          <button type="button" className="button button--small" disabled={disabled} onClick={() => useSuggestions(suggested)}>
            Use the {plural(suggested.length, 'suggestion')}
          </button>
          <span className="muted">Suggestions are only applied when you accept them.</span>
        </div>
      ) : null}
      {values.values.length > 0 ? (
        <table className="value-table-grid" aria-labelledby={`values-${column.index}`}>
          <thead>
            <tr>
              <th scope="col">Value in the file</th>
              <th scope="col" className="num">
                Rows
              </th>
              <th scope="col">Sent as</th>
              <th scope="col">Suggestion</th>
            </tr>
          </thead>
          <tbody>
            {values.values.map((v) => {
              const entry = entryFor(table, v.text);
              const refused = v.reads === null && entry === undefined;
              return (
                <tr key={v.text} className={refused ? 'value-row value-row--refused' : 'value-row'}>
                  <th scope="row">
                    <span className="value-text">{v.text}</span>
                  </th>
                  <td className="num">{count(v.count)}</td>
                  <td>
                    <select
                      className="select"
                      aria-label={`Send “${v.text}” as`}
                      aria-invalid={refused}
                      value={entry === undefined ? '' : encodeTarget(entry[1])}
                      disabled={disabled}
                      onChange={(e) => onChange(withTarget(column.options, v.text, decodeTarget(e.target.value)))}
                    >
                      <option value="">{v.reads === null ? 'Choose… (refused as it is)' : `As written: ${targetText(v.reads)}`}</option>
                      {values.targets.map((target) => (
                        <option key={String(target)} value={encodeTarget(target)}>
                          {targetText(target)}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td>
                    {refused && v.suggestion !== null ? (
                      <button
                        type="button"
                        className="button button--small"
                        disabled={disabled}
                        aria-label={`Use ${targetText(v.suggestion)} for “${v.text}”`}
                        onClick={() => useSuggestions([v])}
                      >
                        Use {targetText(v.suggestion)}
                      </button>
                    ) : (
                      <span className="muted">–</span>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : null}
      {values.raw !== null ? (
        <div className="raw-choice">
          <label className="check-label">
            <input
              type="checkbox"
              checked={column.options.rawTo === values.raw.field}
              disabled={disabled}
              onChange={(e) => onChange(e.target.checked ? { ...column.options, rawTo: 'status_raw' } : without(column.options, 'rawTo'))}
              aria-describedby={`raw-${column.index}`}
            />
            Also send each cell as written to <code>{values.raw.field}</code>
          </label>
          <p className="details-text muted" id={`raw-${column.index}`}>
            {values.raw.meaning}
          </p>
        </div>
      ) : null}
    </div>
  );
}

/** The words that mean "blank" in this column: the field's defaults until the person edits them. */
function Placeholders({
  column,
  disabled,
  onChange,
}: {
  column: ColumnMappingView;
  disabled: boolean;
  onChange: (options: ColumnOptionsView) => void;
}): ReactNode {
  const [word, setWord] = useState('');
  const own = column.options.placeholders;
  const words = own ?? column.defaultPlaceholders;
  const set = (next: readonly string[]): void => onChange({ ...column.options, placeholders: [...next] });
  const add = (): void => {
    const text = word.trim();
    if (text === '' || words.some((w) => fold(w) === fold(text))) return setWord('');
    set([...words, text]);
    setWord('');
  };
  return (
    <div className="placeholders">
      <h3 className="details-title" id={`blanks-${column.index}`}>
        Cells that mean blank
      </h3>
      <p className="details-text muted">
        A cell holding one of these (case and spaces around it ignored) leaves the field unchanged, like an empty cell.{' '}
        {own === undefined ? 'These are the defaults.' : 'Your own list.'}
      </p>
      <ul className="chips" aria-labelledby={`blanks-${column.index}`}>
        {words.length === 0 ? <li className="muted">None: only empty cells are blank.</li> : null}
        {words.map((w) => (
          <li key={w} className="chip">
            <span className="chip-text">{w}</span>
            <button
              type="button"
              className="chip-remove"
              aria-label={`Remove “${w}” from the blank cells of ${column.column}`}
              disabled={disabled}
              onClick={() => set(words.filter((x) => x !== w))}
            >
              ×
            </button>
          </li>
        ))}
      </ul>
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          add();
        }}
      >
        <input
          className="input input--small"
          aria-label={`Another cell that means blank in ${column.column}`}
          placeholder="e.g. unknown"
          maxLength={100}
          value={word}
          disabled={disabled}
          onChange={(e) => setWord(e.target.value)}
        />
        <button type="submit" className="button button--small" disabled={disabled || word.trim() === ''}>
          Add
        </button>
        {own !== undefined ? (
          <button
            type="button"
            className="button button--small button--quiet"
            disabled={disabled}
            onClick={() => onChange(without(column.options, 'placeholders'))}
          >
            Use the defaults
          </button>
        ) : null}
      </form>
    </div>
  );
}
