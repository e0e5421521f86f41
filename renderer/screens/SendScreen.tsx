// 4. Send: where to (Practice, Sandbox, Production), with which API key (set, test, remove:
// the key goes in and never comes back), how fast; and a confirmation naming the environment
// and the row count before anything is written to Production.
import { useCallback, useEffect, useState, type FormEvent, type ReactNode } from 'react';
import type { CredentialEnvironment, CredentialsStatus } from '../../app/shared/contract.ts';
import type { EnvironmentChoice, ImportOverview, ReviewCounts } from '../../app/shared/views.ts';
// Values, not only types: the run policy is pure, so the form offers the bounds main accepts.
import {
  concurrencyBounds,
  defaultConcurrency,
  defaultRate,
  rateBounds,
  withinBounds,
  type IntegerBounds,
} from '../../app/shared/run-policy.ts';
import { bridge } from '../bridge.ts';
import { Badge, ErrorText, Spinner } from '../components/Bits.tsx';
import { ConfirmDialog } from '../components/ConfirmDialog.tsx';
import { ENVIRONMENTS, environmentHelp, environmentLabel, plural } from '../format.ts';

export interface SendScreenProps {
  readonly overview: ImportOverview;
  readonly counts: ReviewCounts;
  readonly onStarted: (runId: string, environment: EnvironmentChoice) => void;
  readonly onBack: () => void;
}

export function SendScreen({ overview, counts, onStarted, onBack }: SendScreenProps): ReactNode {
  const [environment, setEnvironment] = useState<EnvironmentChoice>('practice');
  const [status, setStatus] = useState<CredentialsStatus | null>(null);
  const [statusError, setStatusError] = useState<string | null>(null);
  const [concurrency, setConcurrency] = useState(String(defaultConcurrency));
  const [rate, setRate] = useState(String(defaultRate));
  const [preview, setPreview] = useState(true);
  const [confirming, setConfirming] = useState(false);
  const [starting, setStarting] = useState(false);
  const [startError, setStartError] = useState<string | null>(null);
  const [startNote, setStartNote] = useState<string | null>(null);

  const loadStatus = useCallback(async () => {
    setStatusError(null);
    const result = await bridge().credentialsStatus();
    if (result.ok) setStatus(result.value);
    else setStatusError(`Could not read the stored keys: ${result.error.message}`);
  }, []);

  useEffect(() => {
    void loadStatus();
  }, [loadStatus]);

  const concurrencyValue = wholeNumber(concurrency, concurrencyBounds);
  const rateValue = wholeNumber(rate, rateBounds);
  const needsKey = environment !== 'practice';
  const keyReady = !needsKey || (status !== null && status[environment as CredentialEnvironment].stored);
  const canStart = concurrencyValue !== null && rateValue !== null && keyReady && !starting;

  const start = async (): Promise<void> => {
    if (concurrencyValue === null || rateValue === null) return;
    setStarting(true);
    setStartError(null);
    setStartNote(null);
    const result = await bridge().startRun({
      importId: overview.importId,
      environment,
      concurrency: concurrencyValue,
      rate: rateValue,
      preview,
    });
    setStarting(false);
    setConfirming(false);
    if (result.ok) onStarted(result.value.runId, environment);
    // Cancelled in Lead Importer's own confirmation (main's dialog): said, not an error.
    else if (result.error.code === 'cancelled') setStartNote(result.error.message);
    else setStartError(`The run did not start: ${result.error.message}`);
  };

  const onSubmit = (event: FormEvent): void => {
    event.preventDefault();
    if (!canStart) return;
    if (environment === 'production') setConfirming(true);
    else void start();
  };

  return (
    <form className="screen screen--send" onSubmit={onSubmit} noValidate>
      <header className="screen-head">
        <div>
          <h1 className="screen-title">Send</h1>
          <p className="screen-subtitle">
            {plural(counts.valid, 'valid row')} of <span className="file-name">{overview.fileName}</span> will be sent as lead updates
            {counts.invalid > 0 ? `; ${plural(counts.invalid, 'invalid row')} will not` : ''}
            {counts.edits > 0 ? `; ${plural(counts.edits, 'fix', 'fixes')} made here ${counts.edits === 1 ? 'goes' : 'go'} with them` : ''}.
          </p>
        </div>
      </header>

      <fieldset className="panel env-choice">
        <legend className="panel-title">Environment</legend>
        <div className="env-options">
          {ENVIRONMENTS.map((env) => (
            <label key={env} className={`env-option env-option--${env}${environment === env ? ' env-option--selected' : ''}`}>
              <input
                type="radio"
                name="environment"
                value={env}
                checked={environment === env}
                onChange={() => setEnvironment(env)}
                data-testid={`env-${env}`}
              />
              <span className="env-name">{environmentLabel(env)}</span>
              <span className="env-help">{environmentHelp[env]}</span>
              {env === 'practice' ? null : (
                <span className="env-key">
                  {status === null ? (
                    <span className="muted">…</span>
                  ) : status[env].stored ? (
                    <Badge tone="good">Key stored</Badge>
                  ) : (
                    <Badge tone="warn">No key</Badge>
                  )}
                </span>
              )}
            </label>
          ))}
        </div>
      </fieldset>

      <ErrorText message={statusError} onRetry={() => void loadStatus()} />
      {needsKey && status !== null ? (
        <KeyPanel environment={environment as CredentialEnvironment} status={status} onStatus={setStatus} />
      ) : null}

      <fieldset className="panel">
        <legend className="panel-title">Speed</legend>
        <div className="speed">
          <WholeNumberField
            id="concurrency"
            label="Requests at once"
            text={concurrency}
            onText={setConcurrency}
            bounds={concurrencyBounds}
            help={`Updates in flight together (${boundsText(concurrencyBounds)}).`}
          />
          <WholeNumberField
            id="rate"
            label="Requests per minute"
            text={rate}
            onText={setRate}
            bounds={rateBounds}
            help="Where to start; the app follows the limit Propexo announces and slows down when asked."
          />
        </div>
      </fieldset>

      <fieldset className="panel">
        <legend className="panel-title">Before sending</legend>
        <label className="check-label">
          <input
            type="checkbox"
            checked={preview}
            onChange={(e) => setPreview(e.target.checked)}
            aria-describedby="preview-help"
            data-testid="preview-first"
          />
          Read each lead's current values first
        </label>
        <p className="field-help" id="preview-help">
          {preview
            ? 'Only fields that change are sent, rows already up to date are not, and the run can be undone from History. It costs one request per lead unless the check against Propexo listed them.'
            : 'Every row is sent as it is: nothing is skipped as already up to date, and this run cannot be undone.'}
        </p>
      </fieldset>

      <ErrorText message={startError} />
      {startNote === null ? null : (
        <p className="muted" role="status" data-testid="start-note">
          {startNote}
        </p>
      )}

      <footer className="screen-foot">
        <button type="button" className="button" onClick={onBack}>
          Back to review
        </button>
        <span className="foot-text">
          {!keyReady && status !== null ? `Add the ${environmentLabel(environment)} API key above to send there.` : ''}
        </span>
        <button
          type="submit"
          className={`button ${environment === 'production' ? 'button--danger' : 'button--primary'}`}
          disabled={!canStart}
          data-testid="start-run"
        >
          {starting ? <Spinner /> : null} Send {plural(counts.valid, 'row')} to {environmentLabel(environment)}
        </button>
      </footer>

      <ConfirmDialog
        open={confirming}
        title={`Send ${plural(counts.valid, 'update')} to Production?`}
        confirmLabel={`Send to Production`}
        danger
        busy={starting}
        onConfirm={() => void start()}
        onCancel={() => setConfirming(false)}
      >
        <p>
          {plural(counts.valid, 'lead')} in your live property-management system will be changed from <strong>{overview.fileName}</strong>.
        </p>
        <p data-testid="production-undo">
          {preview
            ? 'Its changes can be undone afterwards from History, except fields someone changes after the run.'
            : 'The leads are not read first, so this run cannot be undone afterwards.'}
        </p>
        <p>Lead Importer asks you once more, in a window of its own, before anything is sent.</p>
        {counts.invalid > 0 ? <p>{plural(counts.invalid, 'invalid row')} will not be sent.</p> : null}
      </ConfirmDialog>
    </form>
  );
}

function wholeNumber(text: string, bounds: IntegerBounds): number | null {
  if (!/^\s*\d+\s*$/.test(text)) return null;
  const n = Number(text);
  return withinBounds(n, bounds) ? n : null;
}

/** "1 to 100,000": grouped as the user reads numbers. */
const boundsText = (bounds: IntegerBounds): string => `${bounds.min.toLocaleString('en-US')} to ${bounds.max.toLocaleString('en-US')}`;

/** A whole-number setting of the run, checked against its bounds as it is typed; `help` shows while it is right. */
function WholeNumberField({
  id,
  label,
  text,
  onText,
  bounds,
  help,
}: {
  id: string;
  label: string;
  text: string;
  onText: (text: string) => void;
  bounds: IntegerBounds;
  help: string;
}): ReactNode {
  const invalid = wholeNumber(text, bounds) === null;
  return (
    <label className="field">
      <span className="field-label">{label}</span>
      <input
        className="input input--number"
        type="number"
        min={bounds.min}
        max={bounds.max}
        value={text}
        onChange={(e) => onText(e.target.value)}
        aria-invalid={invalid}
        aria-describedby={`${id}-help`}
      />
      <span id={`${id}-help`} className={invalid ? 'field-error' : 'field-help'}>
        {invalid ? `A whole number from ${boundsText(bounds)}.` : help}
      </span>
    </label>
  );
}

/** The key of one environment: its state, set (password field, cleared after), test, remove. */
function KeyPanel({
  environment,
  status,
  onStatus,
}: {
  environment: CredentialEnvironment;
  status: CredentialsStatus;
  onStatus: (s: CredentialsStatus) => void;
}): ReactNode {
  const [key, setKey] = useState('');
  const [busy, setBusy] = useState<'save' | 'test' | 'clear' | null>(null);
  const [message, setMessage] = useState<{ tone: 'good' | 'bad'; text: string } | null>(null);
  const state = status[environment];
  const label = environmentLabel(environment);

  useEffect(() => {
    setKey('');
    setMessage(null);
  }, [environment]);

  const save = async (): Promise<void> => {
    setBusy('save');
    setMessage(null);
    const result = await bridge().setCredentials({ environment, apiKey: key });
    setBusy(null);
    // The field is emptied either way: a key is never kept on the page longer than needed.
    setKey('');
    if (result.ok) {
      onStatus(result.value);
      setMessage({ tone: 'good', text: `The ${label} key is stored. Test the connection to check it.` });
    } else setMessage({ tone: 'bad', text: `The key was not stored: ${result.error.message}` });
  };

  const test = async (): Promise<void> => {
    setBusy('test');
    setMessage(null);
    const result = await bridge().testCredentials({ environment });
    setBusy(null);
    if (result.ok) setMessage({ tone: result.value.ok ? 'good' : 'bad', text: result.value.message });
    else setMessage({ tone: 'bad', text: `The connection could not be tested: ${result.error.message}` });
  };

  const clear = async (): Promise<void> => {
    setBusy('clear');
    setMessage(null);
    const result = await bridge().clearCredentials({ environment });
    setBusy(null);
    if (result.ok) {
      onStatus(result.value);
      setMessage({ tone: 'good', text: `The ${label} key was removed from this computer.` });
    } else setMessage({ tone: 'bad', text: `The key was not removed: ${result.error.message}` });
  };

  return (
    <section className="panel key-panel" aria-labelledby="key-title" data-testid="key-panel">
      <div className="panel-head">
        <h2 id="key-title" className="panel-title">
          {label} API key
        </h2>
        {state.stored ? (
          <Badge tone="good">Stored{state.encryption === 'os' ? ', encrypted by the system' : ' for this session'}</Badge>
        ) : (
          <Badge tone="warn">Not set</Badge>
        )}
      </div>
      {state.encryption === 'unavailable' ? (
        <p className="field-help">This computer offers no secure key store: the key is kept in memory until Lead Importer quits.</p>
      ) : null}
      <div className="key-row">
        <label className="field field--grow">
          <span className="field-label">{state.stored ? 'Replace the key' : 'Paste the key'}</span>
          <input
            className="input"
            type="password"
            autoComplete="off"
            spellCheck={false}
            value={key}
            placeholder={state.stored ? 'A stored key is never shown' : 'Your Propexo API key'}
            onChange={(e) => setKey(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                if (key.trim() !== '' && busy === null) void save();
              }
            }}
            data-testid="api-key-input"
          />
        </label>
        <button type="button" className="button" disabled={key.trim() === '' || busy !== null} onClick={() => void save()}>
          {busy === 'save' ? <Spinner /> : null} Save key
        </button>
        <button
          type="button"
          className="button"
          disabled={!state.stored || busy !== null}
          onClick={() => void test()}
          data-testid="test-connection"
        >
          {busy === 'test' ? <Spinner /> : null} Test connection
        </button>
        <button type="button" className="button button--quiet" disabled={!state.stored || busy !== null} onClick={() => void clear()}>
          Remove
        </button>
      </div>
      <p
        className={message === null ? 'field-help' : message.tone === 'good' ? 'field-ok' : 'field-error'}
        role="status"
        aria-live="polite"
      >
        {message?.text ?? 'The key is stored on this computer, encrypted by the system, and is only ever sent to Propexo.'}
      </p>
    </section>
  );
}
