/** A tiny typed event emitter. A listener that throws is reported on the console, never breaks the emitter. */
export type Unsubscribe = () => void;

export class Emitter<E extends { [K in keyof E]: unknown }> {
  private listeners: { [K in keyof E]?: Set<(value: E[K]) => void> } = {};

  /** Calls `fn` for every `event` until the returned function is called. */
  on<K extends keyof E>(event: K, fn: (value: E[K]) => void): Unsubscribe {
    const set = (this.listeners[event] ??= new Set());
    set.add(fn);
    return () => set.delete(fn);
  }

  /** Calls `fn` for the next `event` only. */
  once<K extends keyof E>(event: K, fn: (value: E[K]) => void): Unsubscribe {
    const off = this.on(event, (v) => {
      off();
      fn(v);
    });
    return off;
  }

  protected emit<K extends keyof E>(event: K, value: E[K]): void {
    const set = this.listeners[event];
    if (!set) return;
    for (const fn of [...set]) {
      try {
        fn(value);
      } catch (e) {
        console.error(`chorus: a '${String(event)}' listener threw`, e);
      }
    }
  }
}
