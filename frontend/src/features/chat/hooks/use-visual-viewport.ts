import { useEffect, useState } from 'react';

type ViewportLike = Pick<VisualViewport, 'height' | 'offsetTop' | 'addEventListener' | 'removeEventListener'>;

/** Below this visible height (px) the chat keeps to the title, the messages and the composer. */
export const SHORT_VIEWPORT_PX = 520;
/** A covered bottom taller than this (px) is an on-screen keyboard, not a browser toolbar. */
export const KEYBOARD_MIN_PX = 150;

/** How much of the layout viewport's bottom is covered (by the on-screen keyboard), in px. */
export function keyboardInset(layoutHeight: number, viewport: Pick<VisualViewport, 'height' | 'offsetTop'>): number {
  return Math.max(0, Math.round(layoutHeight - (viewport.height + viewport.offsetTop)));
}

/**
 * A short visible area: a phone's on-screen keyboard is open (most of the layout viewport is
 * covered) or the screen itself is low (a phone held sideways).
 */
export function isShortViewport(visibleHeight: number, inset: number): boolean {
  return inset > KEYBOARD_MIN_PX || visibleHeight < SHORT_VIEWPORT_PX;
}

/**
 * Keeps the composer above a phone's on-screen keyboard: follows `window.visualViewport`
 * (resize and scroll) and publishes on `target` (the document root):
 * - `--app-height` / `--visual-viewport-height`: the visible height (the phone chat layout is
 *   exactly that tall, so the composer sits right above the keyboard and only the message list
 *   scrolls);
 * - `--visual-viewport-top`: how far the browser panned the visible area down (iOS);
 * - `--keyboard-inset`: the covered height at the bottom;
 * - `data-short-viewport="true"` while the visible area is short (keyboard open, landscape):
 *   the room header then folds away (index.css).
 */
export function useVisualViewportInset(
  target: HTMLElement | null = typeof document === 'undefined' ? null : document.documentElement,
): number {
  const [inset, setInset] = useState(0);
  useEffect(() => {
    const viewport = (typeof window === 'undefined' ? undefined : window.visualViewport) as ViewportLike | null | undefined;
    if (!viewport || !target) return;
    const update = () => {
      const value = keyboardInset(window.innerHeight, viewport);
      const height = Math.round(viewport.height);
      target.style.setProperty('--keyboard-inset', `${value}px`);
      target.style.setProperty('--visual-viewport-height', `${height}px`);
      target.style.setProperty('--app-height', `${height}px`);
      target.style.setProperty('--visual-viewport-top', `${Math.max(0, Math.round(viewport.offsetTop))}px`);
      if (isShortViewport(height, value)) target.setAttribute('data-short-viewport', 'true');
      else target.removeAttribute('data-short-viewport');
      setInset(value);
    };
    update();
    viewport.addEventListener('resize', update);
    viewport.addEventListener('scroll', update);
    return () => {
      viewport.removeEventListener('resize', update);
      viewport.removeEventListener('scroll', update);
      for (const name of ['--keyboard-inset', '--visual-viewport-height', '--app-height', '--visual-viewport-top']) {
        target.style.removeProperty(name);
      }
      target.removeAttribute('data-short-viewport');
    };
  }, [target]);
  return inset;
}
