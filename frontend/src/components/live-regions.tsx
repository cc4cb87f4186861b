import { useSyncExternalStore } from 'react';

/**
 * Announcements for screen readers: `announce(text)` is read politely (new messages,
 * notifications), `announce(text, 'assertive')` interrupts (escalations). <LiveRegions />,
 * rendered once by the signed-in layout, holds the two visually hidden live regions.
 */
export type Politeness = 'polite' | 'assertive';

const latest: Record<Politeness, string> = { polite: '', assertive: '' };
const listeners = new Set<() => void>();

export function announce(text: string, politeness: Politeness = 'polite'): void {
  // the same text twice in a row is still read: clear first, then set on the next frame
  latest[politeness] = '';
  listeners.forEach((listener) => listener());
  const set = () => {
    latest[politeness] = text;
    listeners.forEach((listener) => listener());
  };
  if (typeof window.requestAnimationFrame === 'function') window.requestAnimationFrame(set);
  else set();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function LiveRegions() {
  const polite = useSyncExternalStore(subscribe, () => latest.polite);
  const assertive = useSyncExternalStore(subscribe, () => latest.assertive);
  return (
    <>
      <div className="visually-hidden" aria-live="polite" aria-atomic="true" data-testid="live-polite">
        {polite}
      </div>
      <div className="visually-hidden" aria-live="assertive" aria-atomic="true" data-testid="live-assertive">
        {assertive}
      </div>
    </>
  );
}
