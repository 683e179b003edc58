/**
 * Per-key throttle with a trailing edge: the first value goes out at once, later values within
 * the interval replace each other, and the latest is sent when the interval ends, so the last value
 * pushed is always the last value sent.
 */
export class Throttle<T> {
  private slots = new Map<string, { last: number; pending?: { value: T }; timer?: ReturnType<typeof setTimeout> }>();

  constructor(
    private readonly interval: number,
    private readonly send: (key: string, value: T) => void,
  ) {}

  push(key: string, value: T): void {
    const now = Date.now();
    const slot = this.slots.get(key);
    if (!slot) {
      this.slots.set(key, { last: now });
      this.send(key, value);
      return;
    }
    if (!slot.timer && now - slot.last >= this.interval) {
      slot.last = now;
      this.send(key, value);
      return;
    }
    slot.pending = { value };
    if (!slot.timer) {
      slot.timer = setTimeout(() => this.flush(key), Math.max(0, this.interval - (now - slot.last)));
    }
  }

  private flush(key: string): void {
    const slot = this.slots.get(key);
    if (!slot) return;
    slot.timer = undefined;
    if (slot.pending) {
      const { value } = slot.pending;
      slot.pending = undefined;
      slot.last = Date.now();
      this.send(key, value);
    }
  }

  /** Drops pending values and timers. */
  clear(): void {
    for (const s of this.slots.values()) if (s.timer) clearTimeout(s.timer);
    this.slots.clear();
  }
}
