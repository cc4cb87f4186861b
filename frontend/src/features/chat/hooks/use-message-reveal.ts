import {
  createContext,
  useContext,
  useEffect,
  useRef,
  useState,
  useSyncExternalStore,
  type MouseEvent,
  type PointerEvent,
} from 'react';

/** A press this long (ms) on a message shows its actions (touch). */
export const LONG_PRESS_MS = 500;
/** A finger that moves further (px) is scrolling, not pressing. */
const MOVE_TOLERANCE_PX = 10;
/** Taps on these do their own thing (buttons, links, reaction chips, images, the editor). */
const INTERACTIVE = 'button, a, input, textarea, select, label, summary, [role="button"], [contenteditable="true"]';

/** Which message's action bar a tap has shown (at most one at a time). */
export type RevealStore = {
  get: () => string | null;
  set: (messageId: string | null) => void;
  subscribe: (listener: () => void) => () => void;
};

export function createRevealStore(): RevealStore {
  let shown: string | null = null;
  const listeners = new Set<() => void>();
  return {
    get: () => shown,
    set: (messageId) => {
      if (messageId === shown) return;
      shown = messageId;
      for (const listener of [...listeners]) listener();
    },
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

export const MessageRevealContext = createContext<RevealStore | null>(null);

/**
 * The chat room's store of the shown action bar: a tap (click) anywhere outside that message, or
 * Escape, hides it again. On the click, not on pointerdown: hiding the bar moves the messages
 * below it, and the tap's click must still land on what the finger pressed.
 */
export function useRevealStore(): RevealStore {
  const [store] = useState(createRevealStore);
  useEffect(() => {
    const onClick = (event: Event) => {
      const shown = store.get();
      if (shown === null) return;
      const target = event.target instanceof Element ? event.target : null;
      if (target?.closest('[data-message-id]')?.getAttribute('data-message-id') === shown) return;
      store.set(null);
    };
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key === 'Escape') store.set(null);
    };
    document.addEventListener('click', onClick, true);
    document.addEventListener('keydown', onKeyDown);
    return () => {
      document.removeEventListener('click', onClick, true);
      document.removeEventListener('keydown', onKeyDown);
    };
  }, [store]);
  return store;
}

const noSubscribe = () => () => undefined;

function isTouch(pointerType: string | undefined): boolean {
  return pointerType === 'touch' || pointerType === 'pen';
}

/** A screen without hover (a phone, a tablet even with a mouse): a click there reveals too. */
function hoverless(): boolean {
  return typeof window !== 'undefined' && typeof window.matchMedia === 'function' && window.matchMedia('(hover: none)').matches;
}

function onInteractive(event: { target: EventTarget; currentTarget: Element }): boolean {
  const target = event.target;
  // events from a portal (a dialog opened by the message) bubble through React, not the DOM
  if (!(target instanceof Node) || !event.currentTarget.contains(target)) return true;
  const element = target instanceof Element ? target : target.parentElement;
  const hit = element?.closest(INTERACTIVE);
  return Boolean(hit && event.currentTarget.contains(hit));
}

export type RevealHandlers = {
  onPointerDown: (event: PointerEvent<HTMLElement>) => void;
  onPointerMove: (event: PointerEvent<HTMLElement>) => void;
  onPointerUp: () => void;
  onPointerCancel: () => void;
  onClick: (event: MouseEvent<HTMLElement>) => void;
  onContextMenu: (event: MouseEvent<HTMLElement>) => void;
};

/**
 * Tap-to-reveal of a message's actions on touch screens: a tap on the message (not on one of
 * its buttons or links) or a long press (500 ms) shows its action bar and hides any other; a
 * second tap hides it. Mouse clicks change nothing where the mouse can hover (hover and focus
 * show the bar there), and keyboard users reach the buttons with Tab as before.
 */
export function useMessageReveal(messageId: string): { revealed: boolean; handlers: RevealHandlers } {
  const store = useContext(MessageRevealContext);
  const revealed = useSyncExternalStore(
    store?.subscribe ?? noSubscribe,
    () => store?.get() === messageId,
    () => false,
  );
  const press = useRef<{ x: number; y: number; timer: ReturnType<typeof setTimeout> | null; long: boolean; touch: boolean }>({
    x: 0,
    y: 0,
    timer: null,
    long: false,
    touch: false,
  });
  useEffect(() => {
    const current = press.current;
    return () => {
      if (current.timer) clearTimeout(current.timer);
    };
  }, []);

  function cancelTimer() {
    if (press.current.timer) clearTimeout(press.current.timer);
    press.current.timer = null;
  }

  const handlers: RevealHandlers = {
    onPointerDown(event) {
      cancelTimer();
      press.current.long = false;
      press.current.touch = isTouch(event.pointerType);
      if (!store || !press.current.touch || onInteractive(event)) return;
      press.current.x = event.clientX;
      press.current.y = event.clientY;
      press.current.timer = setTimeout(() => {
        press.current.timer = null;
        press.current.long = true;
        store.set(messageId);
      }, LONG_PRESS_MS);
    },
    onPointerMove(event) {
      if (!press.current.timer) return;
      if (Math.hypot(event.clientX - press.current.x, event.clientY - press.current.y) > MOVE_TOLERANCE_PX) cancelTimer();
    },
    onPointerUp: cancelTimer,
    onPointerCancel: cancelTimer,
    onClick(event) {
      const pointerType = (event.nativeEvent as { pointerType?: string }).pointerType;
      const touch = press.current.touch || isTouch(pointerType) || hoverless();
      if (!store || !touch || onInteractive(event)) return;
      if (press.current.long) {
        // the long press already showed the bar: its release is not a second tap
        press.current.long = false;
        return;
      }
      store.set(store.get() === messageId ? null : messageId);
    },
    onContextMenu(event) {
      // a long press on a phone opens the browser's menu: the action bar replaces it
      if (press.current.touch && (press.current.long || press.current.timer)) event.preventDefault();
    },
  };
  return { revealed, handlers };
}
