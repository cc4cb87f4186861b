/**
 * Lazily loaded route modules that more than one place asks for: the router (route `lazy`) and
 * the signed-in layout, which prefetches the room chunk once the browser is idle so opening a
 * room from the list does not wait for it.
 */
export const loadRoom = () => import('@/app/routes/room');

/** Runs `task` when the browser is idle (or after a short delay where requestIdleCallback is missing). */
export function whenIdle(task: () => void): () => void {
  if (typeof window.requestIdleCallback === 'function') {
    const handle = window.requestIdleCallback(task, { timeout: 5_000 });
    return () => window.cancelIdleCallback(handle);
  }
  const timer = window.setTimeout(task, 2_000);
  return () => window.clearTimeout(timer);
}
