// Focus is never lost: when the element that had it disappears (a screen replaced by the next,
// a picker or a cell editor closed, a notice dismissed or faded), Chromium leaves it on <body>,
// where a keyboard user has to Tab from the top again and a screen reader says nothing. Then it
// goes to the current screen's title, which says where the user now is.
import { useEffect } from 'react';

/** The screen's title (made focusable from script only), or the main region. */
export function focusScreenTitle(): void {
  const target = document.querySelector<HTMLElement>('main h1') ?? document.querySelector<HTMLElement>('main');
  if (target === null) return;
  if (!target.hasAttribute('tabindex')) target.tabIndex = -1;
  target.focus();
}

const lost = (): boolean => document.activeElement === null || document.activeElement === document.body;

export function useKeepFocus(): void {
  useEffect(() => {
    let last: Element | null = document.activeElement;
    let frame = 0;
    const onFocusIn = (event: FocusEvent): void => {
      last = event.target instanceof Element ? event.target : null;
    };
    // A removed element gets no reliable blur event: check after the DOM changed, once a frame.
    const observer = new MutationObserver(() => {
      if (frame !== 0) return;
      frame = requestAnimationFrame(() => {
        frame = 0;
        if (last !== null && !last.isConnected && lost()) focusScreenTitle();
      });
    });
    document.addEventListener('focusin', onFocusIn);
    observer.observe(document.body, { childList: true, subtree: true });
    return () => {
      document.removeEventListener('focusin', onFocusIn);
      observer.disconnect();
      cancelAnimationFrame(frame);
    };
  }, []);
}
