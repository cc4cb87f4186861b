/**
 * This browser's side of Web Push: what it supports, the service worker (public/sw.js), the
 * permission and the `PushSubscription`. No server calls here (see hooks/use-push-device.ts).
 */
import type { PushSubscriptionBody } from '@/features/notifications/settings-types';

export const SERVICE_WORKER_URL = `${import.meta.env.BASE_URL}sw.js`;
export const SERVICE_WORKER_SCOPE = import.meta.env.BASE_URL;
const READY_TIMEOUT_MS = 10_000;
const USER_AGENT_MAX = 256;

/**
 * - `supported`: service worker, Push API and notifications are there;
 * - `ios-install`: an iPhone / iPad browser tab — Web Push needs the app added to the home
 *   screen first (iOS 16.4+), then opened from there;
 * - `unsupported`: anything else without them (old browsers, some in-app browsers).
 */
export type PushSupport = 'supported' | 'ios-install' | 'unsupported';

/** Why turning push on did not work; the UI words each one. */
export type PushProblemCode = 'unsupported' | 'denied' | 'dismissed' | 'not-configured' | 'bad-key' | 'no-service-worker' | 'subscribe-failed';

export class PushProblem extends Error {
  readonly code: PushProblemCode;

  constructor(code: PushProblemCode, options?: { cause?: unknown }) {
    super(`Web Push: ${code}`, options);
    this.name = 'PushProblem';
    this.code = code;
  }
}

export function isIos(nav: Pick<Navigator, 'userAgent' | 'platform' | 'maxTouchPoints'> = navigator): boolean {
  // iPadOS 13+ says "Macintosh" but has a touch screen
  return /iPad|iPhone|iPod/.test(nav.userAgent) || (nav.platform === 'MacIntel' && nav.maxTouchPoints > 1);
}

/** Opened from the home screen (an installed PWA) rather than in a browser tab. */
export function isStandalone(): boolean {
  const standalone = typeof window.matchMedia === 'function' && window.matchMedia('(display-mode: standalone)').matches;
  return standalone || (navigator as Navigator & { standalone?: boolean }).standalone === true;
}

export function pushSupport(): PushSupport {
  if ('serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window) return 'supported';
  return isIos() && !isStandalone() ? 'ios-install' : 'unsupported';
}

/** `Notification.permission`, or null where notifications do not exist. */
export function notificationPermission(): NotificationPermission | null {
  return 'Notification' in window ? Notification.permission : null;
}

/**
 * Asks for the notification permission — only ever called from a click of the user's (browsers
 * ignore or penalise a prompt on page load; Safari and Firefox need the click), and before any
 * `await`, so the click still counts.
 */
export function askNotificationPermission(): Promise<NotificationPermission> {
  if (!('Notification' in window)) return Promise.resolve('denied');
  if (Notification.permission !== 'default') return Promise.resolve(Notification.permission);
  return Notification.requestPermission();
}

/** Registers public/sw.js for the whole app (no prompt, nothing shown); null where unsupported or refused. */
export async function registerServiceWorker(): Promise<ServiceWorkerRegistration | null> {
  if (!('serviceWorker' in navigator)) return null;
  try {
    return await navigator.serviceWorker.register(SERVICE_WORKER_URL, { scope: SERVICE_WORKER_SCOPE });
  } catch (error) {
    console.warn('service worker registration failed', error);
    return null;
  }
}

/** The app's registration with an active worker (registering it if need be). */
async function activeRegistration(): Promise<ServiceWorkerRegistration> {
  const existing = await navigator.serviceWorker.getRegistration(SERVICE_WORKER_SCOPE);
  if (existing?.active) return existing;
  if (!existing && !(await registerServiceWorker())) throw new PushProblem('no-service-worker');
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new PushProblem('no-service-worker')), READY_TIMEOUT_MS);
  });
  try {
    return await Promise.race([navigator.serviceWorker.ready, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The VAPID public key (base64url of an uncompressed P-256 point) as `applicationServerKey`. */
export function applicationServerKey(publicKey: string): Uint8Array<ArrayBuffer> {
  const trimmed = publicKey.trim();
  if (!/^[A-Za-z0-9_-]+=*$/.test(trimmed)) throw new PushProblem('bad-key');
  const base64 = trimmed.replace(/=+$/, '').replace(/-/g, '+').replace(/_/g, '/');
  const raw = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
  const bytes = new Uint8Array(new ArrayBuffer(raw.length));
  for (let i = 0; i < raw.length; i += 1) bytes[i] = raw.charCodeAt(i);
  if (bytes.length !== 65 || bytes[0] !== 0x04) throw new PushProblem('bad-key');
  return bytes;
}

function sameBytes(a: ArrayBuffer | null | undefined, b: Uint8Array): boolean {
  if (!a || a.byteLength !== b.byteLength) return false;
  const view = new Uint8Array(a);
  return view.every((byte, i) => byte === b[i]);
}

/** This browser's push subscription, if it has one. */
export async function currentPushSubscription(): Promise<PushSubscription | null> {
  if (pushSupport() !== 'supported') return null;
  const registration = await navigator.serviceWorker.getRegistration(SERVICE_WORKER_SCOPE);
  return registration ? registration.pushManager.getSubscription() : null;
}

/**
 * Subscribes this browser to push with the server's key; an existing subscription is kept when it
 * was made with the same key and replaced when the server's key changed.
 */
export async function subscribeThisBrowser(publicKey: string): Promise<PushSubscription> {
  const key = applicationServerKey(publicKey);
  const registration = await activeRegistration();
  const existing = await registration.pushManager.getSubscription();
  if (existing) {
    if (sameBytes(existing.options.applicationServerKey, key)) return existing;
    await existing.unsubscribe();
  }
  try {
    return await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'NotAllowedError') throw new PushProblem('denied', { cause: error });
    throw new PushProblem('subscribe-failed', { cause: error });
  }
}

/** Ends this browser's subscription; returns its endpoint (for the server) or null when there was none. */
export async function unsubscribeThisBrowser(): Promise<string | null> {
  const subscription = await currentPushSubscription();
  if (!subscription) return null;
  const { endpoint } = subscription;
  await subscription.unsubscribe();
  return endpoint;
}

/** The POST body for a subscription: its endpoint and keys (as `toJSON()` gives them) and the browser. */
export function subscriptionBody(subscription: PushSubscription): PushSubscriptionBody {
  const json = subscription.toJSON();
  const p256dh = json.keys?.p256dh;
  const auth = json.keys?.auth;
  if (!p256dh || !auth) throw new PushProblem('subscribe-failed');
  return {
    endpoint: json.endpoint ?? subscription.endpoint,
    keys: { p256dh, auth },
    user_agent: navigator.userAgent.slice(0, USER_AGENT_MAX),
  };
}
