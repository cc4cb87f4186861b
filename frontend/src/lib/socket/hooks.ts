/** React bindings of the tab's realtime client (./client.ts). */
import { useEffect, useRef, useSyncExternalStore } from 'react';
import { getRealtimeClient, type ConnectionState } from '@/lib/socket/client';
import type { FrameOf, IncomingFrame } from '@/lib/socket/frames';

/** Keeps the tab's connection open while the calling component is mounted (the signed-in shell). */
export function useRealtimeConnection(): void {
  useEffect(() => {
    const client = getRealtimeClient();
    client.start();
    return () => client.stop();
  }, []);
}

export function useConnectionState(): ConnectionState {
  const client = getRealtimeClient();
  return useSyncExternalStore(client.subscribeState, client.getState, client.getState);
}

/** Calls the latest `handler` for frames of `type` while mounted. */
export function useRealtimeFrames<T extends string>(
  type: T,
  handler: (frame: T extends '*' ? IncomingFrame : FrameOf<T>) => void,
): void {
  const ref = useRef(handler);
  useEffect(() => {
    ref.current = handler;
  });
  useEffect(() => getRealtimeClient().subscribe(type, (frame) => ref.current(frame)), [type]);
}

/** Calls `onReconnect` each time the connection opens again after having been lost. */
export function useOnReconnect(onReconnect: () => void): void {
  const ref = useRef(onReconnect);
  useEffect(() => {
    ref.current = onReconnect;
  });
  useEffect(() => {
    const client = getRealtimeClient();
    return client.subscribeState(() => {
      if (client.getState() === 'connected' && client.openCount > 1) ref.current();
    });
  }, []);
}
