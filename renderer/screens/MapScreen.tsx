// 2. Map: every column of the file, a few of its values, and the Propexo field it is sent as.
// The match is explained (exact, synonym, close spelling…); money, date and list columns get
// their reading options; templates load and save; the lead id column is required. What a real
// export leaves to the person is chosen here too and saved in templates: the header row
// (HeaderRowPicker), the sheet, and per column a value table, status_raw, blank cells, the
// century of two-digit years, a name split, a second phone (ColumnChoices).
import { Fragment, useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { ColumnMappingView, ColumnOptionsView, FieldView, ImportOverview } from '../../app/shared/views.ts';
import { bridge } from '../bridge.ts';
import { Badge, ErrorText, Spinner } from '../components/Bits.tsx';
import { ColumnDetails, ExtraReadingChoices, takesValueTable } from '../components/ColumnChoices.tsx';
import { FieldHelp, FieldName } from '../components/FieldName.tsx';
import { FieldPicker } from '../components/FieldPicker.tsx';
import { HeaderRowPicker } from '../components/HeaderRowPicker.tsx';
import { useNotices } from '../components/Notices.tsx';
import { matchLabel, plural, sheetLabel, suggestedName } from '../format.ts';

export type SourceChoice = {
  sheet?: string;
  encoding?: (typeof ENCODINGS)[number][0];
  delimiter?: ',' | ';' | '\t' | '|';
  headerRow?: number;
};

export interface MapScreenProps {
  readonly overview: ImportOverview;
  readonly fields: readonly FieldView[] | null;
  readonly fieldsError: string | null;
  readonly onMapped: (overview: ImportOverview) => void;
  readonly onNext: () => void;
  readonly onLoadTemplate: () => void;
}

type ColumnChoice = { index: number; field: string | null; options: ColumnOptionsView };

const ENCODINGS = [
  ['utf-8', 'UTF-8'],
  ['windows-1252', 'Windows (Western)'],
  ['utf-16le', 'UTF-16 LE'],
  ['utf-16be', 'UTF-16 BE'],
  ['iso-8859-1', 'ISO-8859-1 (Latin-1)'],
  ['iso-8859-7', 'ISO-8859-7 (Greek)'],
  ['windows-1251', 'Windows (Cyrillic)'],
] as const;

const DELIMITERS = [
  [',', 'Comma'],
  [';', 'Semicolon'],
  ['\t', 'Tab'],
  ['|', 'Pipe'],
] as const;

export function MapScreen({ overview, fields, fieldsError, onMapped, onNext, onLoadTemplate }: MapScreenProps): ReactNode {
  const notices = useNotices();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [expanded, setExpanded] = useState<ReadonlySet<number>>(new Set());
  // Another file, or the same file opened another way: its columns are new.
  useEffect(() => setExpanded(new Set()), [overview.importId]);
  const toggle = (index: number): void => {
    const next = new Set(expanded);
    if (!next.delete(index)) next.add(index);
    setExpanded(next);
  };

  const fieldByName = useMemo(() => new Map((fields ?? []).map((f) => [f.name, f])), [fields]);
  const usedBy = useMemo(() => {
    const used = new Map<string, string>();
    for (const c of overview.columns) if (c.field !== null && !used.has(c.field)) used.set(c.field, c.column);
    return used;
  }, [overview.columns]);

  const apply = useCallback(
    async (change: (column: ColumnMappingView) => ColumnChoice) => {
      setBusy(true);
      setError(null);
      const columns = overview.columns.map(change).map((c) => ({ index: c.index, field: c.field, options: cleanOptions(c.options) }));
      const result = await bridge().setMapping({ importId: overview.importId, columns });
      setBusy(false);
      if (result.ok) onMapped(result.value);
      else setError(`The mapping was not changed: ${result.error.message}`);
    },
    [overview, onMapped],
  );

  /** The file read another way: a new import in its place, with the columns the person mapped kept where they still are. */
  const reopen = async (options: SourceChoice): Promise<void> => {
    setBusy(true);
    setError(null);
    const result = await bridge().reopenImport({ importId: overview.importId, options });
    setBusy(false);
    if (result.ok) onMapped(result.value);
    else setError(`${overview.fileName} was not opened again: ${result.error.message}`);
  };

  const setField = (index: number, field: string | null): void =>
    void apply((c) => (c.index === index ? { index, field, options: {} } : { index: c.index, field: c.field, options: c.options }));

  const setOptions = (index: number, options: ColumnOptionsView): void =>
    void apply((c) => ({ index: c.index, field: c.field, options: c.index === index ? options : c.options }));

  const saveTemplate = async (): Promise<void> => {
    const path = await bridge().saveFileDialog({ defaultName: suggestedName(overview.fileName, 'mapping', 'json'), kind: 'json' });
    if (!path.ok) return notices.error(`Could not show the save dialog: ${path.error.message}`);
    if (path.value === null) return;
    const saved = await bridge().saveMapping({ importId: overview.importId, path: path.value });
    if (saved.ok) notices.success(`Saved the mapping template to ${path.value}.`);
    else notices.error(`Could not save the mapping template: ${saved.error.message}`);
  };

  const sent = overview.columns.filter((c) => c.field !== null).length;
  const leadColumn = overview.columns.find((c) => c.field === 'lead_id');

  return (
    <div className="screen screen--map">
      <header className="screen-head">
        <div>
          <h1 className="screen-title">Map columns</h1>
          <p className="screen-subtitle">
            <span className="file-name">{overview.fileName}</span> · {overview.format.toUpperCase()}
            {overview.encoding !== null ? ` · ${overview.encoding.toUpperCase()}` : ''} · {plural(overview.columns.length, 'column')}
          </p>
        </div>
        <div className="toolbar">
          <FileSettings overview={overview} onReopen={(o) => void reopen(o)} disabled={busy} />
          <button type="button" className="button" onClick={onLoadTemplate} disabled={busy}>
            Load template…
          </button>
          <button type="button" className="button" onClick={() => void saveTemplate()} disabled={busy}>
            Save as template…
          </button>
        </div>
      </header>

      <div
        className={`callout ${overview.hasLeadId ? 'callout--good' : 'callout--bad'}`}
        role={overview.hasLeadId ? 'status' : 'alert'}
        data-testid="lead-id-callout"
      >
        {overview.hasLeadId ? (
          <>
            Leads are identified by the column <strong>“{leadColumn?.column ?? 'lead_id'}”</strong> (lead_id).
          </>
        ) : (
          <>
            <strong>Choose the column with the Propexo lead id.</strong> Every update needs it: pick <FieldName name="lead_id" /> as the
            field of that column.
          </>
        )}
      </div>

      {overview.notices.length > 0 ? (
        <div className="callout callout--warn" role="status" data-testid="read-notices">
          <ul className="plain-list">
            {overview.notices.map((notice) => (
              <li key={notice}>{notice}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {overview.mappingProblems.length > 0 ? (
        <div className="callout callout--warn" role="status">
          <ul className="plain-list">
            {overview.mappingProblems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </div>
      ) : null}
      <HeaderRowPicker
        headerRow={overview.headerRow}
        candidates={overview.headerCandidates}
        disabled={busy}
        onChoose={(headerRow) => void reopen({ headerRow })}
      />
      <ErrorText message={fieldsError} />
      <ErrorText message={error} />

      <div className="table-wrap">
        <table className="map-table" aria-label="Columns and the fields they are sent as" aria-busy={busy}>
          <thead>
            <tr>
              <th scope="col" className="col-column">
                Column in the file
              </th>
              <th scope="col" className="col-samples">
                Sample values
              </th>
              <th scope="col" className="col-field">
                Sent as
              </th>
              <th scope="col" className="col-match">
                Match
              </th>
              <th scope="col" className="col-options" title="How the values of money, date and list columns are read">
                Read as
              </th>
            </tr>
          </thead>
          <tbody>
            {overview.columns.map((c) => {
              const field = c.field === null ? undefined : fieldByName.get(c.field);
              const open = field !== undefined && expanded.has(c.index);
              return (
                <Fragment key={c.index}>
                  <tr className={c.field === null ? 'map-row map-row--unsent' : 'map-row'} data-testid={`map-row-${c.index}`}>
                    <th scope="row" className="col-column">
                      <span className="column-name">{c.column === '' ? `(column ${c.index + 1}, no name)` : c.column}</span>
                    </th>
                    <td className="col-samples">
                      {c.samples.length === 0 ? (
                        <span className="muted">empty</span>
                      ) : (
                        <span className="samples">
                          {c.samples.slice(0, 3).map((s, i) => (
                            <span key={i} className="sample" title={s}>
                              {s}
                            </span>
                          ))}
                        </span>
                      )}
                    </td>
                    <td className="col-field">
                      {fields === null ? (
                        <span className="muted">{fieldsError === null ? 'Loading fields…' : 'Fields unavailable'}</span>
                      ) : (
                        <FieldPicker
                          fields={fields}
                          value={c.field}
                          usedBy={usedBy}
                          column={c.column}
                          disabled={busy}
                          onChange={(f) => setField(c.index, f)}
                        />
                      )}
                      {field !== undefined ? <FieldHelp field={field} /> : null}
                    </td>
                    <td className="col-match">
                      {c.field === null ? (
                        <Badge tone="neutral" title="This column is not sent: pick a field to send it.">
                          Not sent
                        </Badge>
                      ) : (
                        <Badge
                          tone={c.method === 'typo' ? 'warn' : c.method === 'manual' ? 'busy' : 'good'}
                          title={matchLabel[c.method].help}
                        >
                          {matchLabel[c.method].text}
                        </Badge>
                      )}
                    </td>
                    <td className="col-options">
                      <ColumnOptions column={c} field={field} disabled={busy} onChange={(o) => setOptions(c.index, o)} />
                      {fields === null ? null : (
                        <ExtraReadingChoices
                          column={c}
                          field={field}
                          fields={fields}
                          usedBy={usedBy}
                          disabled={busy}
                          onChange={(o) => setOptions(c.index, o)}
                        />
                      )}
                      {field === undefined ? null : (
                        <button
                          type="button"
                          className="button button--small button--link details-toggle"
                          aria-expanded={open}
                          aria-controls={`column-details-${c.index}`}
                          onClick={() => toggle(c.index)}
                          data-testid={`details-${c.index}`}
                        >
                          {takesValueTable(field) ? 'Values & blank cells' : 'Blank cells'}
                          {c.options.values !== undefined ? ` (${plural(Object.keys(c.options.values).length, 'translation')})` : ''}
                        </button>
                      )}
                    </td>
                  </tr>
                  {open && field !== undefined ? (
                    <tr className="map-details" id={`column-details-${c.index}`} data-testid={`column-details-${c.index}`}>
                      <td colSpan={5}>
                        <ColumnDetails
                          importId={overview.importId}
                          column={c}
                          field={field}
                          disabled={busy}
                          onChange={(o) => setOptions(c.index, o)}
                        />
                      </td>
                    </tr>
                  ) : null}
                </Fragment>
              );
            })}
          </tbody>
        </table>
      </div>

      <footer className="screen-foot">
        <span className="foot-text" aria-live="polite">
          {busy ? (
            <>
              <Spinner /> Updating the mapping…
            </>
          ) : (
            <>
              {sent} of {plural(overview.columns.length, 'column')} sent. Columns marked “Not sent” stay in your file but are not written to
              Propexo.
            </>
          )}
        </span>
        <button
          type="button"
          className="button button--primary"
          disabled={!overview.hasLeadId || busy}
          onClick={onNext}
          data-testid="to-review"
        >
          Review rows
        </button>
      </footer>
    </div>
  );
}

/** The options as the bridge takes them: an empty separator is none; lists and tables are copied. */
function cleanOptions(options: ColumnOptionsView): Parameters<ReturnType<typeof bridge>['setMapping']>[0]['columns'][number]['options'] {
  const { listSeparator, placeholders, values, ...rest } = options;
  return {
    ...rest,
    ...(listSeparator !== undefined && listSeparator !== '' ? { listSeparator } : {}),
    ...(placeholders !== undefined ? { placeholders: [...placeholders] } : {}),
    ...(values !== undefined && Object.keys(values).length > 0 ? { values: { ...values } } : {}),
  };
}

function ColumnOptions({
  column,
  field,
  disabled,
  onChange,
}: {
  column: ColumnMappingView;
  field: FieldView | undefined;
  disabled: boolean;
  onChange: (options: ColumnOptionsView) => void;
}): ReactNode {
  const [separator, setSeparator] = useState(column.options.listSeparator ?? '');
  useEffect(() => setSeparator(column.options.listSeparator ?? ''), [column.options.listSeparator]);
  if (field === undefined) return <span className="muted">–</span>;
  const label = `for column ${column.column}`;
  switch (field.kind) {
    case 'money':
      return (
        <select
          className="select"
          aria-label={`Money amounts ${label}`}
          value={column.options.money ?? 'dollars'}
          disabled={disabled}
          onChange={(e) => onChange({ ...column.options, money: e.target.value === 'cents' ? 'cents' : 'dollars' })}
        >
          <option value="dollars">Dollars ($1,250.50)</option>
          <option value="cents">Cents (125050)</option>
        </select>
      );
    case 'date':
      return (
        <select
          className="select"
          aria-label={`Date order ${label}`}
          value={column.options.dateOrder ?? 'MDY'}
          disabled={disabled}
          onChange={(e) => onChange({ ...column.options, dateOrder: e.target.value === 'DMY' ? 'DMY' : 'MDY' })}
        >
          <option value="MDY">Month first (3/7 = Mar 7)</option>
          <option value="DMY">Day first (3/7 = 3 Jul)</option>
        </select>
      );
    case 'list':
      return (
        <form
          className="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            onChange({ ...column.options, listSeparator: separator });
          }}
        >
          <label className="inline-label">
            Separator
            <input
              className="input input--tiny"
              aria-label={`List separator ${label}`}
              value={separator}
              maxLength={3}
              placeholder="; or |"
              disabled={disabled}
              onChange={(e) => setSeparator(e.target.value)}
              onBlur={() => {
                if (separator !== (column.options.listSeparator ?? '')) onChange({ ...column.options, listSeparator: separator });
              }}
            />
          </label>
        </form>
      );
    default:
      // Other fields' choices (ExtraReadingChoices, the details row) follow in the same cell.
      return null;
  }
}

function FileSettings({
  overview,
  onReopen,
  disabled,
}: {
  overview: ImportOverview;
  onReopen: (o: SourceChoice) => void;
  disabled: boolean;
}): ReactNode {
  if (overview.format === 'xlsx') {
    if (overview.sheets.length < 2) return null;
    return (
      <label className="inline-label">
        Sheet
        <select
          className="select"
          value={overview.sheet ?? overview.sheets[0]}
          disabled={disabled}
          onChange={(e) => onReopen({ sheet: e.target.value })}
        >
          {overview.sheets.map((s, i) => (
            <option key={s} value={s}>
              {sheetLabel(s, overview.sheetRowCounts[i])}
            </option>
          ))}
        </select>
      </label>
    );
  }
  const encoding = ENCODINGS.find(([v]) => v === overview.encoding?.toLowerCase())?.[0] ?? 'utf-8';
  const delimiter = DELIMITERS.find(([v]) => v === overview.delimiter)?.[0] ?? ',';
  const current = { encoding, delimiter } as const;
  return (
    <>
      <label className="inline-label">
        Encoding
        <select
          className="select"
          value={encoding}
          disabled={disabled}
          onChange={(e) => onReopen({ ...current, encoding: ENCODINGS.find(([v]) => v === e.target.value)?.[0] ?? 'utf-8' })}
        >
          {ENCODINGS.map(([v, text]) => (
            <option key={v} value={v}>
              {text}
            </option>
          ))}
        </select>
      </label>
      <label className="inline-label">
        Separator
        <select
          className="select"
          value={delimiter}
          disabled={disabled}
          onChange={(e) => onReopen({ ...current, delimiter: DELIMITERS.find(([v]) => v === e.target.value)?.[0] ?? ',' })}
        >
          {DELIMITERS.map(([v, text]) => (
            <option key={v} value={v}>
              {text}
            </option>
          ))}
        </select>
      </label>
    </>
  );
}
