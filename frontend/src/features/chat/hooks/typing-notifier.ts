/** While typing, `typing: true` at most every THROTTLE ms (receivers drop it after 3 s). */
export const TYPING_THROTTLE_MS = 2_000;
/** No keystroke for this long → `typing: false`. */
export const TYPING_IDLE_MS = 3_000;

/**
 * Turns keystrokes into throttled `typing` frames: true on the first keystroke and then at most
 * every 2 s while typing continues, false after 3 s without a keystroke or when the message is sent.
 */
export class TypingNotifier {
  private typing = false;
  private lastSent = -Infinity;
  private idleTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly send: (isTyping: boolean) => void;
  private readonly now: () => number;

  constructor(send: (isTyping: boolean) => void, now: () => number = Date.now) {
    this.send = send;
    this.now = now;
  }

  /** A keystroke that changed the text. */
  input(): void {
    const now = this.now();
    if (!this.typing || now - this.lastSent >= TYPING_THROTTLE_MS) {
      this.typing = true;
      this.lastSent = now;
      this.send(true);
    }
    if (this.idleTimer !== null) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => this.stop(), TYPING_IDLE_MS);
  }

  /** Sent, cleared, idle or unmounted. */
  stop(): void {
    if (this.idleTimer !== null) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    if (!this.typing) return;
    this.typing = false;
    this.lastSent = -Infinity;
    this.send(false);
  }
}
