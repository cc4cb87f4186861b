/**
 * The one WebSocket of a browser tab (see specs/realtime-messaging.md, "Connection").
 *
 * - Every (re)connect first gets a fresh single-use ticket over REST (`POST /api/auth/ws-ticket`)
 *   and opens `${wsUrl}?ticket=...`.
 * - Health: API Gateway owns the socket, so the client sends `{"type":"ping"}` every 30 s and
 *   expects `{"type":"pong"}` within 10 s; otherwise it drops the socket and reconnects.
 * - Reconnect: exponential backoff with jitter (1, 2, 4 … 30 s). While the browser says it is
 *   offline nothing is attempted; the `online` event reconnects at once. Every open after the
 *   first counts as a reconnect (`openCount`), on which subscribers resume what they follow.
 * - Connection state (`connecting` / `connected` / `reconnecting` / `offline`, `idle` when not
 *   started) is an external store for `useSyncExternalStore`.
 * - Frames (./frames.ts) are dispatched by `type` to typed subscribers.
 *
 * The logic lives in `RealtimeClient`, whose collaborators (ticket URL, socket factory, the
 * online/offline event source, randomness) are injected so it can be tested with fake timers
 * and a fake socket. `getRealtimeClient()` is the per-tab instance wired to the browser; the
 * React bindings are in ./hooks.ts.
 */
import { isApiError } from '@/lib/api-client';
import { parseFrame, type ClientFrame, type FrameOf, type IncomingFrame } from '@/lib/socket/frames';
import { getTicketedWebSocketUrl } from '@/lib/ws-ticket';

// ---------------------------------------------------------------------------------------
// Timing

export const PING_INTERVAL_MS = 30_000;
export const PONG_TIMEOUT_MS = 10_000;
export const BACKOFF_BASE_MS = 1_000;
export const BACKOFF_MAX_MS = 30_000;
/** ± this fraction of the nominal delay is added at random, so tabs do not reconnect in step. */
export const BACKOFF_JITTER = 0.2;

/**
 * Delay before reconnect attempt `attempt` (0-based): 1 s, 2 s, 4 s, 8 s, 16 s, 30 s, 30 s …
 * each ± 20 % jitter, never more than 30 s. `random` returns a number in [0, 1).
 */
export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  const nominal = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, Math.min(attempt, 30)));
  const jitter = nominal * BACKOFF_JITTER * (random() * 2 - 1);
  return Math.round(Math.min(BACKOFF_MAX_MS, Math.max(0, nominal + jitter)));
}

// ---------------------------------------------------------------------------------------
// Client

export type ConnectionState = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'offline';

/** The part of the browser's WebSocket this client uses. */
export interface SocketLike {
  readonly readyState: number;
  onopen: ((event: Event) => void) | null;
  onmessage: ((event: MessageEvent) => void) | null;
  onclose: ((event: CloseEvent) => void) | null;
  onerror: ((event: Event) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

const OPEN = 1;

export type RealtimeOptions = {
  /** A connect URL carrying a fresh ticket. */
  getUrl: () => Promise<string>;
  createSocket: (url: string) => SocketLike;
  /** Source of `online` / `offline` events (the window). */
  network?: Pick<EventTarget, 'addEventListener' | 'removeEventListener'> | undefined;
  isOnline?: () => boolean;
  random?: () => number;
};

type Handler = (frame: IncomingFrame) => void;

export class RealtimeClient {
  private readonly options: Required<Omit<RealtimeOptions, 'network'>> & Pick<RealtimeOptions, 'network'>;
  private state: ConnectionState = 'idle';
  private readonly stateListeners = new Set<() => void>();
  private readonly handlers = new Map<string, Set<Handler>>();
  private socket: SocketLike | null = null;
  private started = false;
  /** Bumped on every connect/stop so that late callbacks of an old attempt are ignored. */
  private generation = 0;
  private attempt = 0;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private pingTimer: ReturnType<typeof setInterval> | null = null;
  private pongTimer: ReturnType<typeof setTimeout> | null = null;
  /** How many times a connection has opened since start(); 2+ means this was a reconnect. */
  private opens = 0;

  constructor(options: RealtimeOptions) {
    this.options = {
      isOnline: () => true,
      random: Math.random,
      ...options,
    };
  }

  // -- state store -----------------------------------------------------------------------

  getState = (): ConnectionState => this.state;

  subscribeState = (listener: () => void): (() => void) => {
    this.stateListeners.add(listener);
    return () => {
      this.stateListeners.delete(listener);
    };
  };

  /** Number of successful opens since start (a value above 1 means a reconnect happened). */
  get openCount(): number {
    return this.opens;
  }

  private setState(next: ConnectionState): void {
    if (next === this.state) return;
    this.state = next;
    this.stateListeners.forEach((listener) => listener());
  }

  // -- frames ----------------------------------------------------------------------------

  /** Calls `handler` for every frame of `type` (`'*'` = every frame). Returns the unsubscribe. */
  subscribe<T extends string>(type: T, handler: (frame: T extends '*' ? IncomingFrame : FrameOf<T>) => void): () => void {
    let set = this.handlers.get(type);
    if (!set) {
      set = new Set();
      this.handlers.set(type, set);
    }
    const wrapped = handler as unknown as Handler;
    set.add(wrapped);
    return () => {
      set.delete(wrapped);
    };
  }

  /** Sends a frame if the socket is open; false otherwise (the caller decides whether to queue). */
  send(frame: ClientFrame): boolean {
    if (!this.socket || this.state !== 'connected' || this.socket.readyState !== OPEN) return false;
    this.socket.send(JSON.stringify(frame));
    return true;
  }

  private dispatch(frame: IncomingFrame): void {
    for (const key of [frame.type, '*']) {
      const set = this.handlers.get(key);
      if (!set) continue;
      for (const handler of [...set]) {
        try {
          handler(frame);
        } catch (error) {
          // One broken subscriber must not starve the others or kill the socket.
          console.error('realtime frame handler failed', error);
        }
      }
    }
  }

  // -- lifecycle -------------------------------------------------------------------------

  start(): void {
    if (this.started) return;
    this.started = true;
    this.attempt = 0;
    this.opens = 0;
    this.options.network?.addEventListener('online', this.handleOnline);
    this.options.network?.addEventListener('offline', this.handleOffline);
    if (!this.options.isOnline()) {
      this.setState('offline');
      return;
    }
    void this.connect();
  }

  stop(): void {
    if (!this.started) return;
    this.started = false;
    this.generation += 1;
    this.options.network?.removeEventListener('online', this.handleOnline);
    this.options.network?.removeEventListener('offline', this.handleOffline);
    this.clearReconnect();
    this.dropSocket(1000, 'client stopped');
    this.setState('idle');
  }

  /** Drops the current socket and reconnects now (e.g. after a long sleep). */
  reconnectNow(): void {
    if (!this.started) return;
    this.clearReconnect();
    this.dropSocket(4000, 'reconnect');
    this.attempt = 0;
    if (this.options.isOnline()) void this.connect();
    else this.setState('offline');
  }

  private readonly handleOnline = (): void => {
    if (!this.started) return;
    if (this.state === 'offline' || this.state === 'reconnecting') {
      this.clearReconnect();
      this.attempt = 0;
      void this.connect();
    }
  };

  private readonly handleOffline = (): void => {
    if (!this.started) return;
    this.generation += 1;
    this.clearReconnect();
    this.dropSocket(4001, 'offline');
    this.setState('offline');
  };

  private async connect(): Promise<void> {
    const generation = ++this.generation;
    this.setState(this.opens === 0 && this.attempt === 0 ? 'connecting' : 'reconnecting');
    let url: string;
    try {
      url = await this.options.getUrl();
    } catch (error) {
      if (generation !== this.generation || !this.started) return;
      // No session any more: the API client has already ended it; stay quiet until restarted.
      if (isApiError(error) && (error.status === 401 || error.status === 403)) {
        this.setState('offline');
        return;
      }
      this.scheduleReconnect();
      return;
    }
    if (generation !== this.generation || !this.started) return;

    let socket: SocketLike;
    try {
      socket = this.options.createSocket(url);
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.socket = socket;

    socket.onopen = () => {
      if (generation !== this.generation) return;
      this.attempt = 0;
      this.opens += 1;
      this.startHeartbeat();
      this.setState('connected');
    };
    socket.onmessage = (event: MessageEvent) => {
      if (generation !== this.generation) return;
      const frame = parseFrame(event.data);
      if (!frame) return;
      if (frame.type === 'pong') this.clearPongTimer();
      this.dispatch(frame);
    };
    socket.onerror = () => {
      // A close event always follows; reconnecting happens there.
    };
    socket.onclose = () => {
      if (generation !== this.generation) return;
      this.detach(socket);
      this.socket = null;
      this.stopHeartbeat();
      if (this.started) this.scheduleReconnect();
    };
  }

  private scheduleReconnect(): void {
    this.clearReconnect();
    if (!this.started) return;
    if (!this.options.isOnline()) {
      this.setState('offline');
      return;
    }
    this.setState('reconnecting');
    const delay = backoffDelay(this.attempt, this.options.random);
    this.attempt += 1;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      void this.connect();
    }, delay);
  }

  private startHeartbeat(): void {
    this.stopHeartbeat();
    this.pingTimer = setInterval(() => this.ping(), PING_INTERVAL_MS);
  }

  private ping(): void {
    if (!this.socket || this.socket.readyState !== OPEN) return;
    this.socket.send(JSON.stringify({ type: 'ping' } satisfies ClientFrame));
    if (this.pongTimer !== null) return; // still waiting for the previous pong
    this.pongTimer = setTimeout(() => {
      this.pongTimer = null;
      // The connection is dead (a half-open TCP can take minutes to report itself): drop it
      // without waiting for its close event and reconnect.
      this.generation += 1;
      this.dropSocket(4002, 'pong timeout');
      this.scheduleReconnect();
    }, PONG_TIMEOUT_MS);
  }

  private clearPongTimer(): void {
    if (this.pongTimer !== null) clearTimeout(this.pongTimer);
    this.pongTimer = null;
  }

  private stopHeartbeat(): void {
    if (this.pingTimer !== null) clearInterval(this.pingTimer);
    this.pingTimer = null;
    this.clearPongTimer();
  }

  private clearReconnect(): void {
    if (this.reconnectTimer !== null) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
  }

  private detach(socket: SocketLike): void {
    socket.onopen = null;
    socket.onmessage = null;
    socket.onclose = null;
    socket.onerror = null;
  }

  private dropSocket(code: number, reason: string): void {
    this.stopHeartbeat();
    const socket = this.socket;
    this.socket = null;
    if (!socket) return;
    this.detach(socket);
    try {
      socket.close(code, reason);
    } catch {
      // already closed
    }
  }
}

// ---------------------------------------------------------------------------------------
// The tab's instance

let instance: RealtimeClient | null = null;
let overrides: Partial<RealtimeOptions> = {};

function browserOptions(): RealtimeOptions {
  return {
    getUrl: getTicketedWebSocketUrl,
    createSocket: (url) => new WebSocket(url),
    network: typeof window === 'undefined' ? undefined : window,
    isOnline: () => (typeof navigator === 'undefined' ? true : navigator.onLine !== false),
  };
}

export function getRealtimeClient(): RealtimeClient {
  instance ??= new RealtimeClient({ ...browserOptions(), ...overrides });
  return instance;
}

/** Stops and forgets the tab's client; the next `getRealtimeClient()` uses `options` (tests). */
export function resetRealtimeClient(options: Partial<RealtimeOptions> = {}): void {
  instance?.stop();
  instance = null;
  overrides = options;
}
