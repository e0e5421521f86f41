// Messages about what just happened ("Saved the error report to …", "Could not open …"),
// stacked over the bottom corner so they never push the screen around. Errors stay until
// dismissed; confirmations fade after a while.
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';

export type NoticeTone = 'error' | 'success' | 'info';

export interface Notice {
  readonly id: number;
  readonly tone: NoticeTone;
  readonly text: string;
}

export interface NoticeApi {
  error(text: string): void;
  success(text: string): void;
  info(text: string): void;
}

const NoticeContext = createContext<NoticeApi | null>(null);

export function useNotices(): NoticeApi {
  const api = useContext(NoticeContext);
  if (api === null) throw new Error('useNotices outside <NoticeProvider>');
  return api;
}

const FADE_AFTER_MS = 8_000;
const MAX_SHOWN = 3;

export function NoticeProvider({ children }: { children: ReactNode }): ReactNode {
  const [notices, setNotices] = useState<readonly Notice[]>([]);
  const nextId = useRef(1);
  const timers = useRef(new Map<number, number>());
  const region = useRef<HTMLDivElement>(null);
  /** Where the user was before Tab took them into the notices: where a dismissed notice sends focus back. */
  const returnTo = useRef<HTMLElement | null>(null);

  useEffect(() => {
    const onFocusIn = (event: FocusEvent): void => {
      if (event.target instanceof HTMLElement && region.current?.contains(event.target) !== true) returnTo.current = event.target;
    };
    document.addEventListener('focusin', onFocusIn);
    return () => document.removeEventListener('focusin', onFocusIn);
  }, []);

  const dismiss = useCallback((id: number) => {
    const notice = region.current?.querySelector(`[data-notice-id="${id}"]`);
    if (notice?.contains(document.activeElement) === true) {
      // Another notice's Dismiss, else where the user came from (the app's focus keeper covers the rest).
      const next = [...(region.current?.querySelectorAll<HTMLElement>('[data-notice-id] button') ?? [])].find((b) => !notice.contains(b));
      const back = returnTo.current;
      (next ?? (back !== null && back.isConnected ? back : null))?.focus();
    }
    setNotices((all) => all.filter((n) => n.id !== id));
    const timer = timers.current.get(id);
    if (timer !== undefined) window.clearTimeout(timer);
    timers.current.delete(id);
  }, []);

  const push = useCallback(
    (tone: NoticeTone, text: string) => {
      const id = nextId.current++;
      setNotices((all) => [...all.filter((n) => n.text !== text), { id, tone, text }].slice(-MAX_SHOWN));
      if (tone !== 'error')
        timers.current.set(
          id,
          window.setTimeout(() => dismiss(id), FADE_AFTER_MS),
        );
    },
    [dismiss],
  );

  useEffect(() => {
    const pending = timers.current;
    return () => {
      for (const timer of pending.values()) window.clearTimeout(timer);
    };
  }, []);

  const api = useMemo<NoticeApi>(
    () => ({ error: (t) => push('error', t), success: (t) => push('success', t), info: (t) => push('info', t) }),
    [push],
  );

  return (
    <NoticeContext.Provider value={api}>
      {children}
      <div ref={region} className="notices" aria-live="polite">
        {notices.map((n) => (
          <div
            key={n.id}
            className={`notice notice--${n.tone}`}
            role={n.tone === 'error' ? 'alert' : 'status'}
            data-testid={`notice-${n.tone}`}
            data-notice-id={n.id}
          >
            <span className="notice-text">{n.text}</span>
            <button type="button" className="icon-button" aria-label="Dismiss this message" onClick={() => dismiss(n.id)}>
              ×
            </button>
          </div>
        ))}
      </div>
    </NoticeContext.Provider>
  );
}
