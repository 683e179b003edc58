/** A value made of numbers, such as a cursor `{x, y}`. */
export type NumericRecord = { [field: string]: number };

export interface InterpolatorOptions {
  /**
   * How far behind real time the rendered value runs, in ms. With signals at 20 Hz (one every
   * 50 ms) a delay of about two intervals (the default, 100 ms) nearly always has a sample on each
   * side to interpolate between.
   */
  delay?: number;
  /** Samples kept per id (default 8). */
  maxSamples?: number;
  /** The clock (default `performance.now` or `Date.now`). */
  now?: () => number;
}

interface Sample<T> {
  t: number;
  v: T;
}

/** Linear interpolation between two numeric records; fields missing from `b` keep `a`'s value. */
export function lerp<T extends NumericRecord>(a: T, b: T, f: number): T {
  const out: NumericRecord = {};
  for (const k of Object.keys(a)) {
    const x = a[k]!;
    const y = b[k];
    out[k] = typeof y === 'number' && Number.isFinite(y) ? x + (y - x) * f : x;
  }
  return out as T;
}

const defaultNow = () => (typeof performance !== 'undefined' ? performance.now() : Date.now());

/**
 * Smooths positions that arrive in bursts (remote cursors sent as throttled signals): push each
 * received value with `push(id, value)`, and on every animation frame draw `get(id)`, the value
 * interpolated at `now - delay` between the two samples around that time. Never extrapolates: past
 * the newest sample it returns the newest value.
 */
export class Interpolator<T extends NumericRecord> {
  private readonly delay: number;
  private readonly max: number;
  private readonly now: () => number;
  private readonly samples = new Map<string, Sample<T>[]>();

  constructor(opts: InterpolatorOptions = {}) {
    this.delay = opts.delay ?? 100;
    this.max = Math.max(2, opts.maxSamples ?? 8);
    this.now = opts.now ?? defaultNow;
  }

  /** Records a value for `id`; values that are not records of finite numbers are ignored. */
  push(id: string, value: T, time: number = this.now()): void {
    if (!isNumericRecord(value)) return;
    let list = this.samples.get(id);
    if (!list) this.samples.set(id, (list = []));
    const lastT = list.length ? list[list.length - 1]!.t : -Infinity;
    list.push({ t: Math.max(time, lastT), v: { ...value } });
    if (list.length > this.max) list.splice(0, list.length - this.max);
  }

  /** The value to draw for `id` at `time` (default now), or undefined if nothing was pushed. */
  get(id: string, time: number = this.now()): T | undefined {
    const list = this.samples.get(id);
    if (!list || list.length === 0) return undefined;
    const t = time - this.delay;
    if (t <= list[0]!.t) return { ...list[0]!.v };
    for (let i = list.length - 1; i > 0; i--) {
      const a = list[i - 1]!;
      const b = list[i]!;
      if (t >= a.t && t <= b.t) {
        const span = b.t - a.t;
        return span <= 0 ? { ...b.v } : lerp(a.v, b.v, (t - a.t) / span);
      }
    }
    return { ...list[list.length - 1]!.v };
  }

  /** Every id with samples. */
  ids(): string[] {
    return [...this.samples.keys()];
  }

  /** Forgets `id` (call it on a presence `leave`). */
  remove(id: string): void {
    this.samples.delete(id);
  }

  clear(): void {
    this.samples.clear();
  }
}

function isNumericRecord(v: unknown): v is NumericRecord {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  for (const x of Object.values(v)) if (typeof x !== 'number' || !Number.isFinite(x)) return false;
  return true;
}
