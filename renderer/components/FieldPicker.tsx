// Picks the Propexo field a column goes to: a button showing the choice, opening a searchable
// list (an ARIA combobox + listbox) with each field's kind and description. Typing filters;
// arrows move; Enter picks; Escape closes. "Don't send this column" is always first.
import {
  useEffect,
  useId,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type CSSProperties,
  type KeyboardEvent,
  type ReactNode,
} from 'react';
import type { FieldView } from '../../app/shared/views.ts';
import { kindLabel } from '../format.ts';
import { searchFields } from './field-search.ts';

export interface FieldPickerProps {
  readonly fields: readonly FieldView[];
  readonly value: string | null;
  /** field name → the column already sending it (shown, not forbidden: the core says if it is a problem). */
  readonly usedBy: ReadonlyMap<string, string>;
  readonly column: string;
  readonly disabled?: boolean;
  readonly onChange: (field: string | null) => void;
}

interface Option {
  readonly id: string;
  readonly field: FieldView | null;
}

const POPOVER_WIDTH = 400;

const labelIn = (fields: readonly FieldView[], name: string): string => fields.find((f) => f.name === name)?.label ?? name;

export function FieldPicker({ fields, value, usedBy, column, disabled = false, onChange }: FieldPickerProps): ReactNode {
  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const [position, setPosition] = useState<CSSProperties>({});
  const buttonRef = useRef<HTMLButtonElement>(null);
  const popoverRef = useRef<HTMLDivElement>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const listRef = useRef<HTMLUListElement>(null);
  const id = useId().replace(/:/g, '');
  const listId = `${id}-list`;

  const options = useMemo<Option[]>(
    () => [{ id: `${id}-none`, field: null }, ...searchFields(fields, query).map((field) => ({ id: `${id}-${field.name}`, field }))],
    [fields, query, id],
  );
  const current = value === null ? null : (fields.find((f) => f.name === value) ?? null);

  const close = (refocus: boolean): void => {
    setOpen(false);
    setQuery('');
    if (refocus) buttonRef.current?.focus();
  };

  const pick = (option: Option | undefined): void => {
    if (option === undefined) return;
    close(true);
    const next = option.field?.name ?? null;
    if (next !== value) onChange(next);
  };

  // Placed under the button, inside the window (fixed: the mapping table scrolls and clips).
  useLayoutEffect(() => {
    if (!open || buttonRef.current === null) return;
    const rect = buttonRef.current.getBoundingClientRect();
    const left = Math.max(8, Math.min(rect.left, window.innerWidth - POPOVER_WIDTH - 8));
    const below = window.innerHeight - rect.bottom;
    const style: CSSProperties = below > 300 ? { top: rect.bottom + 4, left } : { bottom: window.innerHeight - rect.top + 4, left };
    setPosition(style);
    inputRef.current?.focus();
    const selected = options.findIndex((o) => (o.field?.name ?? null) === value);
    setActive(Math.max(0, selected));
    // Only when opening (`options` changes as the user types).
  }, [open]);

  useEffect(() => {
    if (!open) return;
    const outside = (event: MouseEvent): void => {
      const target = event.target as Node;
      if (popoverRef.current?.contains(target) === true || buttonRef.current?.contains(target) === true) return;
      close(false);
    };
    const away = (): void => close(false);
    document.addEventListener('mousedown', outside);
    window.addEventListener('resize', away);
    return () => {
      document.removeEventListener('mousedown', outside);
      window.removeEventListener('resize', away);
    };
  }, [open]);

  useEffect(() => {
    if (!open) return;
    const item = listRef.current?.querySelector<HTMLElement>(`[data-index="${active}"]`);
    item?.scrollIntoView({ block: 'nearest' });
  }, [active, open]);

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>): void => {
    switch (event.key) {
      case 'ArrowDown':
        event.preventDefault();
        setActive((a) => Math.min(options.length - 1, a + 1));
        break;
      case 'ArrowUp':
        event.preventDefault();
        setActive((a) => Math.max(0, a - 1));
        break;
      case 'Enter':
        event.preventDefault();
        pick(options[active]);
        break;
      case 'Escape':
        event.preventDefault();
        close(true);
        break;
      case 'Tab':
        close(false);
        break;
    }
  };

  return (
    <div className="picker">
      <button
        ref={buttonRef}
        type="button"
        className={`picker-button${current === null ? ' picker-button--empty' : ''}`}
        aria-haspopup="listbox"
        aria-expanded={open}
        aria-label={`Field for column ${column}: ${current === null ? 'not sent' : `${current.label} (${current.name})`}`}
        // aria-disabled, not disabled: the picker is busy for a moment after each choice, and a
        // disabled button drops the keyboard focus the choice has just put back on it.
        aria-disabled={disabled}
        onClick={() => (disabled ? undefined : open ? close(false) : setOpen(true))}
      >
        <span className="picker-value">{current?.label ?? 'Not sent'}</span>
        <span className="picker-caret" aria-hidden="true">
          ▾
        </span>
      </button>
      {open ? (
        <div ref={popoverRef} className="picker-popover" style={position}>
          <input
            ref={inputRef}
            className="input picker-search"
            role="combobox"
            aria-expanded="true"
            aria-controls={listId}
            aria-autocomplete="list"
            aria-activedescendant={options[active]?.id}
            aria-label={`Search fields for column ${column}`}
            placeholder="Search fields: name, API name or header…"
            value={query}
            onChange={(e) => {
              setQuery(e.target.value);
              setActive(e.target.value.trim() === '' ? 0 : 1);
            }}
            onKeyDown={onKeyDown}
            spellCheck={false}
            autoComplete="off"
          />
          <ul ref={listRef} id={listId} role="listbox" className="picker-list" aria-label="Lead fields">
            {options.map((option, index) => {
              const f = option.field;
              const user = f === null ? undefined : usedBy.get(f.name);
              return (
                <li
                  key={option.id}
                  id={option.id}
                  role="option"
                  data-index={index}
                  aria-selected={(f?.name ?? null) === value}
                  className={`picker-option${index === active ? ' picker-option--active' : ''}${f?.deprecated === true ? ' picker-option--deprecated' : ''}`}
                  onMouseMove={() => setActive(index)}
                  onMouseDown={(e) => e.preventDefault()}
                  onClick={() => pick(option)}
                >
                  {f === null ? (
                    <span className="picker-option-name">Don’t send this column</span>
                  ) : (
                    <>
                      <span className="picker-option-head">
                        <span className="picker-option-name">
                          {f.label} <code className="field-api">{f.name}</code>
                        </span>
                        <span className="picker-option-kind">{kindLabel[f.kind]}</span>
                      </span>
                      {f.explanation === '' ? null : <span className="picker-option-description">{f.explanation}</span>}
                      {f.deprecated ? (
                        <span className="picker-option-note">
                          No longer used{f.replacedBy === undefined ? '' : `: choose ${labelIn(fields, f.replacedBy)} instead`}
                        </span>
                      ) : null}
                      {user !== undefined && user !== column ? (
                        <span className="picker-option-note">Already sent from “{user}”</span>
                      ) : null}
                    </>
                  )}
                </li>
              );
            })}
          </ul>
          {options.length === 1 ? <p className="picker-nothing">No field matches “{query}”.</p> : null}
        </div>
      ) : null}
    </div>
  );
}
