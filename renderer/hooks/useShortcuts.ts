// Window-wide keyboard shortcuts for one panel: active only while the panel is visible and no dialog
// has the focus; keys are ignored while the user types in a field (Ctrl+A selects the field's text
// there), except those marked `inFields`. Generic: any panel can declare its own.
import { useEffect, useRef, type RefObject } from 'react';

/** One shortcut: `mod` is Ctrl, or Cmd on macOS. */
export interface Shortcut {
  /** `KeyboardEvent.key`, case-insensitive for letters ("f", "ArrowDown", "Delete", " ", "?"). */
  key: string;
  mod?: boolean;
  shift?: boolean;
  /** Also while the focus is in a text field. */
  inFields?: boolean;
  /** Leaves buttons, checkboxes and sliders their own meaning of the key (Space, Enter). */
  notOnControls?: boolean;
  run(e: KeyboardEvent): void;
}

function isTextField(t: EventTarget | null): boolean {
  if (!(t instanceof HTMLElement)) return false;
  if (t.isContentEditable) return true;
  if (t instanceof HTMLTextAreaElement || t instanceof HTMLSelectElement) return true;
  return t instanceof HTMLInputElement && !['checkbox', 'radio', 'button', 'range'].includes(t.type);
}

function isControl(t: EventTarget | null): boolean {
  if (!(t instanceof HTMLElement)) return false;
  return t.closest('button, a[href], input, select, textarea, [role="button"], [role="slider"], [role="combobox"], [role="menuitem"]') !== null;
}

function visible(el: HTMLElement): boolean {
  if (!el.isConnected) return false;
  // Hidden tabs keep their panels mounted (their state survives): a hidden panel takes no keys.
  if (el.closest('[hidden], [aria-hidden="true"], [inert]') !== null) return false;
  return typeof el.checkVisibility === 'function' ? el.checkVisibility() : true;
}

/** True when `e` is the shortcut `s`. */
export function matches(s: Shortcut, e: KeyboardEvent): boolean {
  const mod = e.ctrlKey || e.metaKey;
  if ((s.mod ?? false) !== mod || e.altKey) return false;
  // Punctuation such as "?" needs Shift on most layouts: Shift only counts for letters and named keys.
  const shiftMatters = s.key.length > 1 || /^[a-z]$/i.test(s.key);
  if (shiftMatters && (s.shift ?? false) !== e.shiftKey) return false;
  return s.key.length === 1 ? e.key.toLowerCase() === s.key.toLowerCase() : e.key === s.key;
}

/** Listens on the document while `scope` is visible; the first matching shortcut runs and the key is consumed. */
export function useShortcuts(scope: RefObject<HTMLElement | null>, shortcuts: Shortcut[], enabled = true): void {
  const current = useRef(shortcuts);
  current.current = shortcuts;
  useEffect(() => {
    if (!enabled) return;
    function onKey(e: KeyboardEvent) {
      const el = scope.current;
      if (e.defaultPrevented || !el || !visible(el)) return;
      // A dialog (ours or another panel's) owns the keyboard while it is open.
      if (e.target instanceof Element && e.target.closest('[role="dialog"], [role="presentation"]') !== null) return;
      const typing = isTextField(e.target);
      for (const s of current.current) {
        if (!matches(s, e)) continue;
        if (typing && !s.inFields) continue;
        if (s.notOnControls && isControl(e.target)) continue;
        e.preventDefault();
        s.run(e);
        return;
      }
    }
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [scope, enabled]);
}
