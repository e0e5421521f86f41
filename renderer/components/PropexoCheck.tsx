// Review's "Check against Propexo" and "Changes" views (issues #12 and #13). Check: in the
// chosen environment and scope, how many rows found their lead, the rows that did not (with the
// leads they could mean, and a box to type the right Propexo id in: a cell fix of the lead
// column), and the names resolved to ids. Changes: what reading the leads' current values
// costs, said before it is spent; then, per row, each field's current and new value, filtered
// "will change" / "already up to date". Nothing here writes to Propexo.
import { useCallback, useEffect, useState, type FormEvent, type ReactNode } from 'react';
import type {
  ChangesCostView,
  ChangesFilter,
  ChangesPage,
  EnvironmentChoice,
  ImportOverview,
  OnlineCheckView,
  ReviewCounts,
  ScopeOptionView,
  UnmatchedRowView,
} from '../../app/shared/views.ts';
import { bridge } from '../bridge.ts';
import { Badge, EmptyState, ErrorText, Spinner, Stat } from './Bits.tsx';
import { FieldName } from './FieldName.tsx';
import { changeCountsSentence, count, duration, ENVIRONMENTS, environmentLabel, plural } from '../format.ts';

const CHANGES_PAGE = 50;

const CHANGE_FILTERS: readonly { readonly value: ChangesFilter; readonly label: string }[] = [
  { value: 'will_change', label: 'Will change' },
  { value: 'up_to_date', label: 'Already up to date' },
  { value: 'all', label: 'All matched rows' },
];

/** The core's phrases start in lower case (they are also parts of CLI lines). */
const sentence = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

const keyLabel: Readonly<Record<string, string>> = {
  lead_id: 'Propexo lead id',
  x_id: 'source system id',
  email_1: 'e-mail',
  phone_1: 'phone',
};

/** Where the check looks, chosen by the person: the environment, then its integration and property. */
export interface CheckTarget {
  readonly environment: EnvironmentChoice;
  readonly integrationId: string | null;
  readonly propertyId: string | null;
}

export function PropexoCheckPanel(props: {
  readonly overview: ImportOverview;
  readonly target: CheckTarget;
  readonly onTarget: (target: CheckTarget) => void;
  readonly check: OnlineCheckView | null;
  readonly onChecked: (check: OnlineCheckView | null) => void;
  /** A Propexo id typed into a row: the review's counts and rows changed. */
  readonly onFixed: (counts: ReviewCounts) => void;
}): ReactNode {
  const { overview, target, onTarget, check, onChecked, onFixed } = props;
  const { importId } = overview;
  const [integrations, setIntegrations] = useState<readonly ScopeOptionView[] | null>(null);
  const [properties, setProperties] = useState<readonly ScopeOptionView[] | null>(null);
  const [listError, setListError] = useState<string | null>(null);
  const [checking, setChecking] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState('');

  const loadIntegrations = useCallback(async () => {
    setListError(null);
    setIntegrations(null);
    const result = await bridge().listIntegrations({ environment: target.environment });
    if (!result.ok) {
      setListError(`The integrations of ${environmentLabel(target.environment)} could not be listed: ${result.error.message}`);
      return;
    }
    setIntegrations(result.value);
    // One integration: nothing to choose.
    if (target.integrationId === null && result.value.length === 1) onTarget({ ...target, integrationId: result.value[0].id });
  }, [target, onTarget]);

  useEffect(() => {
    void loadIntegrations();
    // Only when the environment changes.
  }, [target.environment]);

  useEffect(() => {
    setProperties(null);
    if (target.integrationId === null) return;
    let live = true;
    void bridge()
      .listProperties({ environment: target.environment, integrationId: target.integrationId })
      .then((result) => {
        if (!live) return;
        if (result.ok) setProperties(result.value);
        else setListError(`The properties could not be listed: ${result.error.message}`);
      });
    return () => {
      live = false;
    };
  }, [target.environment, target.integrationId]);

  const run = useCallback(async () => {
    setChecking(true);
    setError(null);
    const result = await bridge().checkOnline({ importId, ...target });
    setChecking(false);
    if (!result.ok) {
      setError(result.error.message);
      return;
    }
    onChecked(result.value);
    const v = result.value;
    setAnnouncement(`Checked: ${plural(v.matched, 'row')} matched, ${count(v.notFound)} not found, ${count(v.ambiguous)} ambiguous.`);
  }, [importId, target, onChecked]);

  // Automatic once there is a scope to look in (and again whenever it changes).
  useEffect(() => {
    if (check === null && target.integrationId !== null && !checking) void run();
  }, [check === null, target.integrationId, target.propertyId, target.environment]);

  const fix = useCallback(
    async (row: UnmatchedRowView, value: string): Promise<string | null> => {
      if (row.leadColumnIndex === null) return 'This import has no lead column to type the id into.';
      const result = await bridge().editCell({ importId, rowNumber: row.rowNumber, columnIndex: row.leadColumnIndex, value: value.trim() });
      if (!result.ok) return `Row ${row.rowNumber} was not changed: ${result.error.message}`;
      onFixed(result.value.counts);
      await run();
      return null;
    },
    [importId, onFixed, run],
  );

  const choose = (next: Partial<CheckTarget>): void => {
    onChecked(null);
    onTarget({ ...target, ...next });
  };

  return (
    <section className="propexo-check" aria-labelledby="propexo-check-title" data-testid="propexo-check">
      <h2 id="propexo-check-title" className="section-title">
        Check against Propexo
      </h2>
      <p className="section-help">Finds the lead each row updates, and the ids of the names it uses, without writing anything.</p>
      <div className="check-scope">
        <label className="field">
          <span className="field-label">Environment</span>
          <select
            className="select"
            value={target.environment}
            onChange={(e) => choose({ environment: e.target.value as EnvironmentChoice, integrationId: null, propertyId: null })}
            data-testid="check-environment"
          >
            {ENVIRONMENTS.map((environment) => (
              <option key={environment} value={environment}>
                {environmentLabel(environment)}
              </option>
            ))}
          </select>
        </label>
        <label className="field field--grow">
          <span className="field-label">Integration</span>
          <select
            className="select"
            value={target.integrationId ?? ''}
            disabled={integrations === null}
            onChange={(e) => choose({ integrationId: e.target.value === '' ? null : e.target.value, propertyId: null })}
            data-testid="check-integration"
          >
            <option value="">{integrations === null ? 'Listing…' : 'Choose the integration'}</option>
            {(integrations ?? []).map((item) => (
              <option key={item.id} value={item.id}>
                {item.name} ({item.detail})
              </option>
            ))}
          </select>
        </label>
        <label className="field field--grow">
          <span className="field-label">Property (optional)</span>
          <select
            className="select"
            value={target.propertyId ?? ''}
            disabled={properties === null}
            onChange={(e) => choose({ propertyId: e.target.value === '' ? null : e.target.value })}
            data-testid="check-property"
          >
            <option value="">Every property of the integration</option>
            {(properties ?? []).map((item) => (
              <option key={item.id} value={item.id}>
                {item.name} ({item.detail})
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          className="button"
          onClick={() => void run()}
          disabled={checking || target.integrationId === null}
          data-testid="check-run"
        >
          {checking ? <Spinner label="Checking" /> : null}
          {check === null ? 'Check' : 'Check again'}
        </button>
      </div>
      <ErrorText message={listError} onRetry={() => void loadIntegrations()} />
      <ErrorText message={error} onRetry={() => void run()} />
      <span className="sr-only" aria-live="polite">
        {announcement}
      </span>
      {check === null ? (
        checking ? (
          <p className="loading-line">
            <Spinner /> Looking the rows up in {environmentLabel(target.environment)}…
          </p>
        ) : (
          <p className="section-help">{target.integrationId === null ? 'Choose the integration the leads belong to.' : null}</p>
        )
      ) : (
        <CheckResult check={check} onFix={fix} />
      )}
    </section>
  );
}

function CheckResult({
  check,
  onFix,
}: {
  check: OnlineCheckView;
  onFix: (row: UnmatchedRowView, value: string) => Promise<string | null>;
}): ReactNode {
  return (
    <>
      <div className="stats stats--compact" aria-label="Check results">
        <Stat label="matched" value={check.matched} tone="good" testId="check-matched" />
        <Stat label="not found" value={check.notFound} tone={check.notFound > 0 ? 'bad' : 'neutral'} testId="check-not-found" />
        <Stat label="ambiguous" value={check.ambiguous} tone={check.ambiguous > 0 ? 'warn' : 'neutral'} testId="check-ambiguous" />
      </div>
      <p className="section-help" data-testid="check-strategy">
        Rows name their leads by {keyLabel[check.matchedBy] ?? check.matchedBy}. {sentence(check.strategy)} (
        {plural(check.requests, 'request')} this time).
        {check.scopeChanged ? ' Leads were added or removed while the scope was read: check again to be sure.' : ''}
      </p>
      {check.resolved.length > 0 ? (
        <div className="resolved-names">
          <h3 className="subsection-title">Names found in Propexo</h3>
          <ul className="plain-list" data-testid="check-resolved">
            {check.resolved.map((r) => (
              <li key={`${r.field}|${r.value}|${r.id}`}>
                <FieldName name={r.field} labelOnly />: “{r.value}” → <code>{r.id}</code>{' '}
                <span className="muted">({plural(r.rows, 'row')})</span>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {check.unmatchedTotal === 0 ? (
        <EmptyState title="Every row found its lead">The rows can be sent as they are.</EmptyState>
      ) : (
        <div className="unmatched">
          <h3 className="subsection-title">
            {plural(check.unmatchedTotal, 'row')} not matched: not sent unless fixed
            {check.unmatched.length < check.unmatchedTotal ? ` (the first ${count(check.unmatched.length)} are shown)` : ''}
          </h3>
          <ul className="unmatched-list" data-testid="check-unmatched">
            {check.unmatched.map((row) => (
              <UnmatchedRow key={row.rowNumber} row={row} onFix={onFix} />
            ))}
          </ul>
        </div>
      )}
    </>
  );
}

function UnmatchedRow({
  row,
  onFix,
}: {
  row: UnmatchedRowView;
  onFix: (row: UnmatchedRowView, value: string) => Promise<string | null>;
}): ReactNode {
  const [value, setValue] = useState('');
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const inputId = `fix-lead-${row.rowNumber}`;
  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    if (value.trim() === '') return;
    setSaving(true);
    setError(await onFix(row, value));
    setSaving(false);
  };
  return (
    <li className="unmatched-row" data-testid={`unmatched-${row.rowNumber}`}>
      <div className="unmatched-head">
        <span className="unmatched-where">Row {count(row.rowNumber)}</span>
        {row.outcome === 'ambiguous' ? <Badge tone="warn">Ambiguous</Badge> : <Badge tone="bad">Not found</Badge>}
        {row.key !== null ? (
          <span className="muted">
            {keyLabel[row.matchedBy] ?? row.matchedBy} <code>{row.key}</code>
          </span>
        ) : null}
      </div>
      <p className="unmatched-message">{row.message}</p>
      {row.candidates.length > 0 ? (
        <ul className="candidate-list" aria-label={`Leads row ${row.rowNumber} could mean`}>
          {row.candidates.map((c) => (
            <li key={c.id}>
              <button
                type="button"
                className="button button--small"
                onClick={() => setValue(c.id)}
                aria-label={`Use lead ${c.id} (${c.name}) for row ${row.rowNumber}`}
              >
                Use
              </button>{' '}
              <code>{c.id}</code> {c.name}
              {c.email !== null ? <span className="muted"> · {c.email}</span> : null}
              <span className="muted"> · property {c.propertyId}</span>
            </li>
          ))}
        </ul>
      ) : null}
      {row.names.map((n) => (
        <p key={`${n.field}|${n.value}`} className="unmatched-name">
          <FieldName name={n.field} labelOnly /> “{n.value}”: {n.outcome === 'ambiguous' ? 'several have this name' : 'not found'}
          {n.candidates.length > 0
            ? `${n.outcome === 'ambiguous' ? '' : '; similar:'} ${n.candidates.map((c) => `${c.label} (${c.id})`).join(', ')}`
            : ''}
        </p>
      ))}
      {row.leadColumnIndex !== null ? (
        <form className="unmatched-fix" onSubmit={(e) => void submit(e)}>
          <label htmlFor={inputId} className="field-label">
            Propexo lead id for row {count(row.rowNumber)}
          </label>
          <input
            id={inputId}
            className="input"
            value={value}
            onChange={(e) => setValue(e.target.value)}
            placeholder="e.g. a lead id from the list above"
            spellCheck={false}
            data-testid={`fix-input-${row.rowNumber}`}
          />
          <button
            type="submit"
            className="button button--small"
            disabled={saving || value.trim() === ''}
            data-testid={`fix-apply-${row.rowNumber}`}
          >
            {saving ? 'Checking…' : 'Use this lead'}
          </button>
          {error !== null ? <span className="field-error">{error}</span> : null}
        </form>
      ) : null}
    </li>
  );
}

export function ChangesPanel({ importId, check }: { readonly importId: string; readonly check: OnlineCheckView | null }): ReactNode {
  const environment = check?.environment ?? null;
  const [cost, setCost] = useState<ChangesCostView | null>(null);
  const [reading, setReading] = useState(false);
  const [filter, setFilter] = useState<ChangesFilter>('will_change');
  const [offset, setOffset] = useState(0);
  const [page, setPage] = useState<ChangesPage | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    setCost(null);
    setPage(null);
    setError(null);
    if (environment === null) return;
    let live = true;
    void bridge()
      .changesCost({ importId, environment })
      .then((result) => {
        if (!live) return;
        if (result.ok) setCost(result.value);
        else setError(result.error.message);
      });
    return () => {
      live = false;
    };
  }, [importId, environment, check]);

  const load = useCallback(
    async (nextFilter: ChangesFilter, nextOffset: number) => {
      if (environment === null) return;
      setReading(true);
      setError(null);
      const result = await bridge().importChanges({ importId, environment, filter: nextFilter, offset: nextOffset, limit: CHANGES_PAGE });
      setReading(false);
      if (!result.ok) {
        setError(`The current values could not be read: ${result.error.message}`);
        return;
      }
      setFilter(nextFilter);
      setOffset(nextOffset);
      setPage(result.value);
    },
    [importId, environment],
  );

  // Already read for this check: showing it again costs nothing.
  useEffect(() => {
    if (cost?.read === true && page === null) void load(filter, 0);
  }, [cost]);

  if (check === null || environment === null) {
    return (
      <section className="propexo-changes" aria-labelledby="changes-title" data-testid="changes">
        <h2 id="changes-title" className="section-title">
          Changes
        </h2>
        <EmptyState title="Check against Propexo first">The changes are those of the rows matched to a lead.</EmptyState>
      </section>
    );
  }
  return (
    <section className="propexo-changes" aria-labelledby="changes-title" data-testid="changes">
      <h2 id="changes-title" className="section-title">
        Changes in {environmentLabel(environment)}
      </h2>
      {page === null ? (
        <div className="changes-cost">
          <p data-testid="changes-cost">
            {cost === null ? (
              <>
                <Spinner /> Working out the cost…
              </>
            ) : (
              <>
                {cost.text}
                {cost.leastMs > 0 ? ` (about ${duration(cost.leastMs)})` : ''}. Nothing is written.
              </>
            )}
          </p>
          <button
            type="button"
            className="button button--primary"
            disabled={cost === null || reading || cost.leads === 0}
            onClick={() => void load(filter, 0)}
            data-testid="changes-read"
          >
            {reading ? <Spinner label="Reading" /> : null}
            Read current values
          </button>
        </div>
      ) : (
        <>
          <p className="changes-summary" data-testid="changes-summary">
            {changeCountsSentence(page.counts)}.
          </p>
          <div className="segmented" role="group" aria-label="Show">
            {CHANGE_FILTERS.map((f) => (
              <button
                key={f.value}
                type="button"
                className="segmented-button"
                aria-pressed={filter === f.value}
                onClick={() => void load(f.value, 0)}
                data-testid={`changes-filter-${f.value}`}
              >
                {f.label}
              </button>
            ))}
          </div>
          {page.total === 0 ? (
            <EmptyState title={filter === 'up_to_date' ? 'No row is already up to date' : 'No row will change anything'} />
          ) : (
            <div className="table-wrap changes-wrap">
              <table
                className="changes-table"
                aria-label={`Changes: ${CHANGE_FILTERS.find((f) => f.value === filter)?.label ?? ''}`}
                data-testid="changes-table"
              >
                <thead>
                  <tr>
                    <th scope="col">Row</th>
                    <th scope="col">Lead</th>
                    <th scope="col">Field</th>
                    <th scope="col">Now</th>
                    <th scope="col">After sending</th>
                  </tr>
                </thead>
                <tbody>
                  {page.rows.flatMap((row) =>
                    row.fields.map((f, i) => (
                      <tr
                        key={`${row.rowNumber}-${f.field}`}
                        className={`change change--${f.verdict}`}
                        data-testid={i === 0 ? `change-row-${row.rowNumber}` : undefined}
                      >
                        {i === 0 ? (
                          <>
                            <th scope="row" rowSpan={row.fields.length}>
                              {count(row.rowNumber)}
                            </th>
                            <td rowSpan={row.fields.length}>
                              <code>{row.leadId}</code>
                            </td>
                          </>
                        ) : null}
                        <td>
                          <FieldName name={f.field} />
                        </td>
                        <td>
                          {f.current === null ? (
                            <span className="muted" title={f.unknownReason ?? undefined}>
                              cannot be read
                            </span>
                          ) : f.current === '' ? (
                            <span className="cell-empty">empty</span>
                          ) : (
                            f.current
                          )}
                        </td>
                        <td>
                          {f.next === '' ? <span className="cell-empty">empty</span> : f.next}{' '}
                          {f.verdict === 'same' ? (
                            <Badge tone="neutral">already so</Badge>
                          ) : f.verdict === 'unknown' ? (
                            <Badge tone="warn">sent as is</Badge>
                          ) : (
                            <Badge tone="good">changes</Badge>
                          )}
                        </td>
                      </tr>
                    )),
                  )}
                </tbody>
              </table>
            </div>
          )}
          {page.total > CHANGES_PAGE ? (
            <div className="pager">
              <button
                type="button"
                className="button button--small"
                disabled={offset === 0 || reading}
                onClick={() => void load(filter, Math.max(0, offset - CHANGES_PAGE))}
              >
                Previous
              </button>
              <span className="muted">
                Rows {count(offset + 1)}–{count(Math.min(page.total, offset + CHANGES_PAGE))} of {count(page.total)}
              </span>
              <button
                type="button"
                className="button button--small"
                disabled={offset + CHANGES_PAGE >= page.total || reading}
                onClick={() => void load(filter, offset + CHANGES_PAGE)}
              >
                Next
              </button>
            </div>
          ) : null}
        </>
      )}
      <ErrorText message={error} onRetry={() => void load(filter, offset)} />
    </section>
  );
}
