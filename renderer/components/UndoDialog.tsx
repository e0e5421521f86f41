// The confirmation of "Undo this run": what the plan would write back (read from the leads now,
// nothing written yet), the fields changed since the import that it leaves alone, and the choice
// to write over them anyway, which asks a second time (the CLI's --force).
import { useState, type ReactNode } from 'react';
import type { UndoFieldView, UndoPlanView } from '../../app/shared/views.ts';
import { ConfirmDialog } from './ConfirmDialog.tsx';
import { FieldName } from './FieldName.tsx';
import { environmentLabel, plural } from '../format.ts';

export interface UndoDialogProps {
  /** The plan on screen (null: closed). */
  readonly plan: UndoPlanView | null;
  readonly busy: boolean;
  readonly onConfirm: (force: boolean) => void;
  readonly onCancel: () => void;
}

/** What the undo does with the field, short (the dialog's list above says it in full). */
const VERDICT_LABEL: Readonly<Record<UndoFieldView['verdict'], string>> = {
  changed_since: 'Left alone',
  forced: 'Written over',
  cannot_clear: 'Cannot be cleared',
  cannot_restore: 'Cannot be restored',
};

const shown = (value: string | null): string => (value === null ? 'unknown' : value === '' ? '(blank)' : value);

function FieldsTable({ fields }: { readonly fields: readonly UndoFieldView[] }): ReactNode {
  if (fields.length === 0) return null;
  return (
    // Scrolls when long: focusable, so the keyboard can scroll it too.
    <div className="table-wrap undo-fields" tabIndex={0} role="region" aria-label="Fields changed since the import or not restorable">
      <table className="undo-fields-table" aria-label="Fields the undo does not simply write back">
        <thead>
          <tr>
            <th scope="col">Row</th>
            <th scope="col">Field</th>
            <th scope="col">Before → the run → now</th>
            <th scope="col">Undo</th>
          </tr>
        </thead>
        <tbody>
          {fields.map((f) => (
            <tr key={`${f.row}:${f.field}`} title={f.reason ?? undefined}>
              <td className="num">{f.row}</td>
              <td>
                {/* The field as every screen names it ("Move-in date"); the lead it belongs to below. */}
                <FieldName name={f.field} labelOnly />
                <span className="undo-lead">{f.leadId}</span>
              </td>
              <td>
                {shown(f.before)} → {shown(f.written)} → {shown(f.current)}
              </td>
              <td>{VERDICT_LABEL[f.verdict]}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function UndoDialog({ plan, busy, onConfirm, onCancel }: UndoDialogProps): ReactNode {
  const [force, setForce] = useState(false);
  const [askingAgain, setAskingAgain] = useState(false);
  const cancel = (): void => {
    setForce(false);
    setAskingAgain(false);
    onCancel();
  };
  const confirm = (): void => {
    if (force && !askingAgain) {
      setAskingAgain(true);
      return;
    }
    const forced = force;
    setForce(false);
    setAskingAgain(false);
    onConfirm(forced);
  };
  if (plan === null) return null;
  const where = environmentLabel(plan.environment);
  if (askingAgain) {
    return (
      <ConfirmDialog
        open
        title="Write over changes made since the import?"
        confirmLabel="Write over them"
        cancelLabel="Go back"
        danger
        busy={busy}
        onConfirm={confirm}
        onCancel={() => setAskingAgain(false)}
      >
        <p>
          {plural(plan.changedSince, 'field was', 'fields were')} changed in {where} after the run of {plan.fileName} wrote{' '}
          {plan.changedSince === 1 ? 'it' : 'them'}. The undo will replace those newer values with the ones from before the run.
        </p>
      </ConfirmDialog>
    );
  }
  return (
    <ConfirmDialog
      open
      title={`Undo the run of ${plan.fileName}?`}
      confirmLabel="Undo this run"
      danger={plan.environment === 'production'}
      busy={busy}
      onConfirm={confirm}
      onCancel={cancel}
    >
      <p data-testid="undo-plan-summary">
        Writes back, in {where}, the values {plural(plan.leadsToWrite, 'lead')} had before this run: {plural(plan.restore, 'field')}{' '}
        restored.
      </p>
      <ul className="undo-counts">
        {plan.changedSince > 0 ? <li>{plural(plan.changedSince, 'field')} changed since the import: left alone.</li> : null}
        {plan.cannotClear > 0 ? (
          <li>{plural(plan.cannotClear, 'field was', 'fields were')} blank before the run and cannot be cleared through Propexo.</li>
        ) : null}
        {plan.cannotRestore > 0 ? <li>{plural(plan.cannotRestore, 'field')} cannot be restored.</li> : null}
        {plan.notApplied > 0 ? <li>{plural(plan.notApplied, 'field')} already as before the run.</li> : null}
        {plan.skippedRows > 0 ? <li>{plural(plan.skippedRows, 'row')} not undone (never written, or still pending).</li> : null}
      </ul>
      <FieldsTable fields={plan.fields} />
      {plan.changedSince > 0 ? (
        <label className="checkbox-line">
          <input type="checkbox" checked={force} onChange={(event) => setForce(event.target.checked)} data-testid="undo-force" /> Write over
          the fields changed since the import anyway
        </label>
      ) : null}
    </ConfirmDialog>
  );
}
