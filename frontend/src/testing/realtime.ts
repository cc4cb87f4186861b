import { act, waitFor } from '@testing-library/react';
import { expect } from 'vitest';
import { FakeWebSocket } from '@/testing/fake-websocket';

/** Waits for the app's socket (after its ws-ticket request) and opens it. */
export async function openAppSocket(): Promise<FakeWebSocket> {
  await waitFor(() => expect(FakeWebSocket.last()).toBeDefined());
  const socket = FakeWebSocket.last()!;
  act(() => socket.open());
  return socket;
}

/** Delivers a frame from the "server" to the app's socket. */
export function serverSends(socket: FakeWebSocket, frame: unknown): void {
  act(() => socket.receive(frame));
}
