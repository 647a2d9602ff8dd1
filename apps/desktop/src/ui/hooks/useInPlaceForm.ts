/**
 * A form that opens in place of the button that opens it ("Record vital sign", "Add medication"). The button
 * leaves the page as the form appears, so without help the keyboard focus falls back to the top of the page:
 * opened by the person, the form's first field takes the focus, and closing it (saved or cancelled) gives the
 * focus back to the button. Opened by itself for a restored draft, it leaves the focus where the page put it.
 */
import { useEffect, useRef, useState } from 'react';

export type InPlaceForm = {
  readonly open: boolean;
  /** True when the person opened it: its first field should take the focus. */
  readonly openedByPerson: boolean;
  readonly buttonRef: React.RefObject<HTMLButtonElement | null>;
  openByPerson(): void;
  /** Opens for a draft waiting to be finished; an open form stays as it is. */
  openForDraft(): void;
  close(): void;
};

export function useInPlaceForm(): InPlaceForm {
  const [state, setState] = useState<'closed' | 'person' | 'draft'>('closed');
  const buttonRef = useRef<HTMLButtonElement>(null);
  const focusButton = useRef(false);
  useEffect(() => {
    if (state !== 'closed' || !focusButton.current) return;
    focusButton.current = false;
    buttonRef.current?.focus();
  }, [state]);
  return {
    open: state !== 'closed',
    openedByPerson: state === 'person',
    buttonRef,
    openByPerson: () => setState('person'),
    openForDraft: () => setState((current) => (current === 'closed' ? 'draft' : current)),
    close: () => {
      focusButton.current = true;
      setState('closed');
    },
  };
}
