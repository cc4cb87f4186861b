import { api, getWebSocketUrl } from '@/lib/api-client';

export type WsTicket = { ticket: string; expires_in: number };

/** Browsers cannot set headers on a WebSocket: get a single-use, 60 s ticket over REST. */
export function createWsTicket(): Promise<WsTicket> {
  return api.post<WsTicket>('/api/auth/ws-ticket');
}

/** Connect URL for the WebSocket API carrying a fresh ticket (never a long-lived token). */
export async function getTicketedWebSocketUrl(): Promise<string> {
  const { ticket } = await createWsTicket();
  const url = new URL(getWebSocketUrl());
  url.searchParams.set('ticket', ticket);
  return url.toString();
}
