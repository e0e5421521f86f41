// Words and numbers as people read them. One place, so every screen says a thing the same way.
// Numbers, percentages, durations and dates follow the user's locale (Intl, `undefined` locale);
// files and reports keep the file's own text and are not formatted here.
import type {
  ChangeCountsView,
  EnvironmentChoice,
  FieldKindName,
  MatchMethodName,
  RowStateName,
  RunListItem,
  RunRowView,
} from '../app/shared/views.ts';
import { describeChangeCounts } from '../app/shared/change-counts.ts';

const integer = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });

export const count = (n: number): string => integer.format(n);

/** "1 row", "2,345 rows". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${count(n)} ${n === 1 ? one : many}`;
}

const percentage = new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 0 });

/** "45%" in the user's locale; never 100% before everything is done. */
/** A sheet as the sheet picker lists it: its name and, when known, how many rows it holds. */
export function sheetLabel(name: string, rows: number | null | undefined): string {
  return rows === null || rows === undefined ? name : `${name} (${plural(rows, 'row')})`;
}

export function percent(part: number, whole: number): string {
  if (whole <= 0) return percentage.format(0);
  const p = Math.min(100, (part / whole) * 100);
  return percentage.format((p >= 99.5 && part < whole ? 99 : Math.round(p)) / 100);
}

const unit = (name: 'second' | 'minute' | 'hour'): Intl.NumberFormat =>
  new Intl.NumberFormat(undefined, { style: 'unit', unit: name, unitDisplay: 'short', maximumFractionDigits: 0 });
const seconds_ = unit('second');
const minutes_ = unit('minute');
const hours_ = unit('hour');

/** "45 sec", "3 min", "1 hr 20 min" (in the user's locale's words). */
export function duration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return seconds_.format(seconds);
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return minutes_.format(minutes);
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? hours_.format(hours) : `${hours_.format(hours)} ${minutes_.format(rest)}`;
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function when(iso: string): string {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : dateTime.format(new Date(t));
}

/** What a preview found, in the words main's Production confirmation uses (one wording: app/shared), in the user's locale. */
export const changeCountsSentence = (c: ChangeCountsView): string => describeChangeCounts(c, count);

export const ENVIRONMENTS: readonly EnvironmentChoice[] = ['practice', 'sandbox', 'production'];

export const environmentLabel = (environment: string): string => {
  switch (environment) {
    case 'practice':
      return 'Practice';
    case 'sandbox':
      return 'Sandbox';
    case 'production':
      return 'Production';
    default:
      // A run sent to a server named by its address (the command line's --env URL).
      return 'Custom server';
  }
};

export const environmentHelp: Readonly<Record<EnvironmentChoice, string>> = {
  practice: 'A rehearsal on this computer. Nothing leaves it and no key is needed.',
  sandbox: "Propexo's test environment. Uses your sandbox API key.",
  production: 'Your live property-management system. Changes are real.',
};

export const kindLabel: Readonly<Record<FieldKindName, string>> = {
  string: 'Text',
  email: 'Email',
  char: 'One letter',
  integer: 'Whole number',
  number: 'Number',
  money: 'Money',
  boolean: 'Yes / no',
  enum: 'One of a list',
  date: 'Date',
  list: 'List',
  unsupported: 'Not supported',
};

export const matchLabel: Readonly<Record<MatchMethodName, { readonly text: string; readonly help: string }>> = {
  exact: { text: 'Exact', help: 'The column is named exactly like the field.' },
  normalized: { text: 'Same name', help: 'The column name matches the field once spaces, case and punctuation are ignored.' },
  synonym: { text: 'Synonym', help: 'The column name is a usual way of naming this field.' },
  typo: { text: 'Close spelling', help: 'The column name is spelled close to the field name: check it.' },
  mapping_file: { text: 'Template', help: 'Set by the mapping template you loaded.' },
  report_column: { text: 'Error report', help: 'A column of an error report this app wrote.' },
  unmapped: { text: 'No match', help: 'No field matched this column: it is not sent unless you pick one.' },
  manual: { text: 'Your choice', help: 'You picked this field.' },
};

export const outcomeLabel: Readonly<Record<RowStateName, string>> = {
  queued: 'Queued',
  sending: 'Sending',
  retrying: 'Retrying',
  accepted: 'Accepted',
  succeeded: 'Succeeded',
  unchanged: 'Already up to date',
  partial: 'Partly applied',
  failed: 'Failed',
  rejected: 'Rejected',
  not_found: 'Lead not found',
  ambiguous: 'Ambiguous',
  unknown: 'Unknown',
  pending: 'Still pending',
  not_sent: 'Not sent',
  invalid: 'Invalid',
  skipped: 'Skipped',
};

export const outcomeHelp: Readonly<Record<RowStateName, string>> = {
  queued: 'Waiting for its turn.',
  sending: 'The update is on its way.',
  retrying: 'Propexo asked to wait or did not answer: it will be sent again.',
  accepted: 'Propexo accepted the update; the property-management system has not answered yet.',
  succeeded: 'Written to the property-management system.',
  unchanged: 'The lead already had these values: nothing was sent.',
  partial: 'Some fields were written, some were not: see the errors.',
  failed: 'The property-management system refused the update: see the errors.',
  rejected: 'Propexo refused the request: see the errors.',
  not_found: 'No lead in Propexo has this key (or a name has no id): fix the row and send it again.',
  ambiguous: 'Several leads (or items) match: type the Propexo id into the row.',
  unknown: 'No answer came back; it may or may not have been applied.',
  pending: 'Not final yet when the run ended: re-check it later.',
  not_sent: 'The run stopped before sending this row.',
  invalid: 'The row has errors and was not sent.',
  skipped: 'An empty row: nothing to send.',
};

// An undo's rows that were not written back were left as they are: someone changed the lead
// since the import (their change is kept), or it already had its values from before. "Already
// up to date" said the opposite of the first.
const UNDO_UNCHANGED = {
  label: 'Left as it is',
  help: 'Not written back: someone changed the lead since the import (their change is kept), or it already had its values from before the import.',
};

/** An outcome's label in a run's counts and filter; an undo run's `unchanged` rows were left as they are. */
export const outcomeLabelIn = (run: { readonly undo: boolean }, state: RowStateName): string =>
  run.undo && state === 'unchanged' ? UNDO_UNCHANGED.label : outcomeLabel[state];

/** An outcome's tone in a run's counts: an undo's rows left as they are ask for a look, as their badges do (rowBadge). */
export const outcomeToneIn = (run: { readonly undo: boolean }, state: RowStateName): Tone =>
  run.undo && state === 'unchanged' ? 'warn' : outcomeTone[state];

/** An outcome's help in a run's counts (outcomeLabelIn's). */
export const outcomeHelpIn = (run: { readonly undo: boolean }, state: RowStateName): string =>
  run.undo && state === 'unchanged' ? UNDO_UNCHANGED.help : outcomeHelp[state];

/** What happened to a row, as the start of a sentence (`rowSentence` adds the status and the reasons). */
const outcomeSentence: Readonly<Record<RowStateName, string>> = {
  queued: 'Waiting for its turn',
  sending: 'On its way to Propexo',
  retrying: 'Propexo asked to wait or did not answer; it will be sent again',
  accepted: 'Accepted by Propexo; waiting for your property-management system to answer',
  succeeded: 'Written to your property-management system',
  unchanged: 'Not sent: the lead already had these values',
  // Short where reasons follow: the table cell shows the start, the reasons must fit too.
  partial: 'Partly written, some fields refused',
  failed: 'Refused by your system',
  rejected: 'Refused by Propexo',
  not_found: 'Not found in Propexo',
  ambiguous: 'Several matches in Propexo',
  unknown: 'No answer came back: it may or may not have been applied',
  pending: 'Not final when the run ended: re-check it later',
  not_sent: 'Not sent: the run stopped before this row',
  invalid: 'Not sent: the row has errors',
  skipped: 'Not sent: the row is empty',
};

/**
 * A row's result in a sentence: what happened, the HTTP status where there was an error (support
 * asks for it), then the reasons the API gave: "Refused by Propexo (HTTP 422): …".
 */
export function rowSentence(row: Pick<RunRowView, 'outcome' | 'httpStatus' | 'errors'>): string {
  const status = row.httpStatus !== null && row.httpStatus >= 400 ? ` (HTTP ${row.httpStatus})` : '';
  const reasons = row.errors.join(' · ');
  if (reasons === '') return `${outcomeSentence[row.outcome]}${status}.`;
  // Not errors but notes: a row left as it is for a reason of its own (the undo: changed by someone
  // else since the import), a row written over a change made since.
  if (row.outcome === 'unchanged') return `${LEFT_AS_IT_IS} — ${reasons}`;
  if (row.outcome === 'succeeded') return `${outcomeSentence.succeeded}${status} — ${reasons}`;
  return `${outcomeSentence[row.outcome]}${status}: ${reasons}`;
}

const LEFT_AS_IT_IS = UNDO_UNCHANGED.label;

/**
 * A row's outcome badge: its label, help and tone. An `unchanged` row with a reason was not
 * already up to date: it was left as it is (the undo: someone else changed its fields since).
 */
export function rowBadge(row: Pick<RunRowView, 'outcome' | 'errors'>): {
  readonly label: string;
  readonly help: string;
  readonly tone: Tone;
} {
  if (row.outcome === 'unchanged' && row.errors.length > 0)
    return { label: LEFT_AS_IT_IS, help: 'Nothing was sent to this lead: see why in the row.', tone: 'warn' };
  return { label: outcomeLabel[row.outcome], help: outcomeHelp[row.outcome], tone: outcomeTone[row.outcome] };
}

/**
 * What a screen reader hears about a run's progress. The text changes only every tenth of the
 * rows and when the run's state changes, so a polite live region speaks about ten times a run,
 * not at every batch.
 */
export function progressAnnouncement(p: {
  readonly state: RunListItem['state'] | 'paused' | null;
  readonly done: number;
  readonly toSend: number;
  readonly succeeded: number;
  readonly problems: number;
}): string {
  if (p.state === null) return '';
  if (p.state !== 'running') {
    const outcome = `${plural(p.succeeded, 'row')} written, ${plural(p.problems, 'row')} with a problem.`;
    return `Run ${runStateLabel[p.state].toLowerCase()}: ${count(p.done)} of ${plural(p.toSend, 'row')} done; ${outcome}`;
  }
  const tenths = p.toSend <= 0 ? 0 : Math.floor((p.done / p.toSend) * 10);
  return `Sending: about ${percentage.format(tenths / 10)} done.`;
}

/** How an outcome is drawn: good, bad, in progress or neutral. */
export type Tone = 'good' | 'bad' | 'warn' | 'busy' | 'neutral';

export const outcomeTone: Readonly<Record<RowStateName, Tone>> = {
  queued: 'neutral',
  sending: 'busy',
  retrying: 'warn',
  accepted: 'busy',
  succeeded: 'good',
  unchanged: 'good',
  partial: 'warn',
  failed: 'bad',
  rejected: 'bad',
  not_found: 'bad',
  ambiguous: 'bad',
  unknown: 'warn',
  pending: 'warn',
  not_sent: 'neutral',
  invalid: 'bad',
  skipped: 'neutral',
};

export const runStateLabel: Readonly<Record<RunListItem['state'] | 'paused', string>> = {
  running: 'Running',
  paused: 'Paused',
  interrupted: 'Interrupted',
  finished: 'Finished',
  cancelled: 'Cancelled',
  stopped: 'Stopped',
};

export const runStateHelp: Readonly<Record<RunListItem['state'] | 'paused', string>> = {
  running: 'Sending now.',
  paused: 'Paused: nothing is sent until you resume.',
  interrupted: 'The app closed while sending. Resume to finish: no row is sent twice.',
  finished: 'Every row has reached its outcome.',
  cancelled: 'You cancelled the run: rows not sent yet stay unsent.',
  stopped: 'The run stopped on its own (for example, the API key was refused): open its results to see why.',
};

export const runStateTone: Readonly<Record<RunListItem['state'] | 'paused', Tone>> = {
  running: 'busy',
  paused: 'warn',
  interrupted: 'warn',
  finished: 'good',
  cancelled: 'neutral',
  stopped: 'bad',
};

/** A file name for a save dialog: the suggested name may not hold folders or odd characters. */
/** An error report is offered as a workbook for a workbook, as CSV otherwise (both can be chosen). */
export const reportExtension = (sourceFileName: string): 'xlsx' | 'csv' => (/\.xlsx$/i.test(sourceFileName) ? 'xlsx' : 'csv');

/** What a suggested file name may not hold: path separators, a drive colon, control characters. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what it looks for
const UNSAFE_IN_NAME = /[/\\:\u0000-\u001f]/g;

export function suggestedName(sourceFileName: string, suffix: string, extension: string): string {
  const base =
    sourceFileName
      .replace(/\.[^.]+$/, '')
      .replace(UNSAFE_IN_NAME, '_')
      .trim() || 'leads';
  return `${base.slice(0, 150)}-${suffix}.${extension}`;
}
