// Small shared pieces: badges, counts, progress, empty states, spinners.
import type { ReactNode } from 'react';
import type { Tone } from '../format.ts';
import { count, percent } from '../format.ts';

export function Badge({ tone = 'neutral', children, title }: { tone?: Tone; children: ReactNode; title?: string }): ReactNode {
  return (
    <span className={`badge badge--${tone}`} title={title}>
      {children}
    </span>
  );
}

export function Spinner({ label }: { label?: string }): ReactNode {
  return (
    <span
      className="spinner"
      role={label === undefined ? undefined : 'img'}
      aria-label={label}
      aria-hidden={label === undefined ? true : undefined}
    />
  );
}

/** A labelled figure: "1,204 valid". Optional button behaviour (a count that filters). */
export function Stat(props: {
  label: string;
  value: number | null;
  tone?: Tone;
  pressed?: boolean;
  onClick?: () => void;
  title?: string;
  testId?: string;
}): ReactNode {
  const body = (
    <>
      <span className="stat-value">{props.value === null ? '–' : count(props.value)}</span>
      <span className="stat-label">{props.label}</span>
    </>
  );
  const className = `stat stat--${props.tone ?? 'neutral'}${props.pressed === true ? ' stat--pressed' : ''}`;
  if (props.onClick === undefined) {
    return (
      <div className={className} title={props.title} data-testid={props.testId}>
        {body}
      </div>
    );
  }
  return (
    <button
      type="button"
      className={`${className} stat--button`}
      aria-pressed={props.pressed}
      onClick={props.onClick}
      title={props.title}
      data-testid={props.testId}
    >
      {body}
    </button>
  );
}

export function ProgressBar({
  value,
  max,
  label,
  indeterminate = false,
}: {
  value: number;
  max: number;
  label: string;
  indeterminate?: boolean;
}): ReactNode {
  const fraction = max > 0 ? Math.min(1, value / max) : 0;
  return (
    <div
      className={`progress${indeterminate ? ' progress--indeterminate' : ''}`}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={indeterminate ? undefined : max}
      aria-valuenow={indeterminate ? undefined : value}
      aria-valuetext={indeterminate ? undefined : `${count(value)} of ${count(max)} (${percent(value, max)})`}
    >
      <div className="progress-fill" style={{ transform: `scaleX(${indeterminate ? 1 : fraction})` }} />
    </div>
  );
}

export function EmptyState({ title, children, action }: { title: string; children?: ReactNode; action?: ReactNode }): ReactNode {
  return (
    <div className="empty">
      <p className="empty-title">{title}</p>
      {children === undefined ? null : <div className="empty-text">{children}</div>}
      {action === undefined ? null : <div className="empty-action">{action}</div>}
    </div>
  );
}

/** A failed request's message, where the request was made. */
export function ErrorText({ message, onRetry }: { message: string | null; onRetry?: () => void }): ReactNode {
  if (message === null) return null;
  return (
    <div className="inline-error" role="alert">
      <span>{message}</span>
      {onRetry === undefined ? null : (
        <button type="button" className="button button--small" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}
