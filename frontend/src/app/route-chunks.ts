import { lazy } from 'react';

/**
 * Lazily loaded route modules that more than one place asks for: the router (route `lazy`) and
 * the signed-in layout, which prefetches the room chunk once the browser is idle so opening a
 * room from the list does not wait for it.
 */
export const loadRoom = () => import('@/app/routes/room');

/** The create-room dialog (event codes, plant, templates): fetched when it is first opened. */
export const CreateRoomDialog = lazy(async () => ({
  default: (await import('@/features/rooms/components/create-room-dialog')).CreateRoomDialog,
}));

/** The "turn on notifications on this device" prompt: fetched after the first page is shown. */
export const PushPrompt = lazy(async () => ({
  default: (await import('@/features/notifications/components/push-prompt')).PushPrompt,
}));

/** Runs `task` when the browser is idle (or after a short delay where requestIdleCallback is missing). */
export function whenIdle(task: () => void): () => void {
  if (typeof window.requestIdleCallback === 'function') {
    const handle = window.requestIdleCallback(task, { timeout: 5_000 });
    return () => window.cancelIdleCallback(handle);
  }
  const timer = window.setTimeout(task, 2_000);
  return () => window.clearTimeout(timer);
}
