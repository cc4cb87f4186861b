import { useEffect, useState } from 'react';

type ViewportLike = Pick<VisualViewport, 'height' | 'offsetTop' | 'addEventListener' | 'removeEventListener'>;

/** How much of the layout viewport's bottom is covered (by the on-screen keyboard), in px. */
export function keyboardInset(layoutHeight: number, viewport: Pick<VisualViewport, 'height' | 'offsetTop'>): number {
  return Math.max(0, Math.round(layoutHeight - (viewport.height + viewport.offsetTop)));
}

/**
 * Keeps the composer above a phone's on-screen keyboard: follows `window.visualViewport`
 * (resize and scroll) and publishes the covered height as the CSS variable `--keyboard-inset`
 * and the visible height as `--visual-viewport-height` on `target` (the document root).
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
      target.style.setProperty('--keyboard-inset', `${value}px`);
      target.style.setProperty('--visual-viewport-height', `${Math.round(viewport.height)}px`);
      setInset(value);
    };
    update();
    viewport.addEventListener('resize', update);
    viewport.addEventListener('scroll', update);
    return () => {
      viewport.removeEventListener('resize', update);
      viewport.removeEventListener('scroll', update);
      target.style.removeProperty('--keyboard-inset');
      target.style.removeProperty('--visual-viewport-height');
    };
  }, [target]);
  return inset;
}
