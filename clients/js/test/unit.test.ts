import { afterEach, describe, expect, test, vi } from 'vitest';
import { backoffDelay, Interpolator, lerp, Throttle } from '../src/index.js';
import * as F from '../src/frames.js';

describe('backoff', () => {
  test('full jitter stays within the exponential ceiling, capped at max', () => {
    expect(backoffDelay(0, 500, 20000, () => 0.999)).toBe(499);
    expect(backoffDelay(3, 500, 20000, () => 0.999)).toBe(3996);
    expect(backoffDelay(10, 500, 20000, () => 0.999)).toBe(19980);
    expect(backoffDelay(200, 500, 20000, () => 0.5)).toBe(10000);
    expect(backoffDelay(5, 500, 20000, () => 0)).toBe(0);
  });
  test('delays are spread, not in lockstep', () => {
    const ds = new Set(Array.from({ length: 50 }, () => backoffDelay(4, 500, 20000)));
    expect(ds.size).toBeGreaterThan(40);
  });
});

describe('throttle', () => {
  afterEach(() => vi.useRealTimers());
  test('first value at once, then one per interval with the latest value, trailing edge', () => {
    vi.useFakeTimers();
    const sent: number[] = [];
    const t = new Throttle<number>(50, (_k, v) => sent.push(v));
    t.push('cursor', 1);
    expect(sent).toEqual([1]);
    for (let i = 2; i <= 10; i++) {
      vi.advanceTimersByTime(5);
      t.push('cursor', i);
    }
    expect(sent).toEqual([1]);
    vi.advanceTimersByTime(50);
    expect(sent).toEqual([1, 10]);
    vi.advanceTimersByTime(500);
    expect(sent).toEqual([1, 10]);
    t.push('cursor', 11); // idle long enough: goes at once
    expect(sent).toEqual([1, 10, 11]);
  });
  test('keys are throttled separately', () => {
    vi.useFakeTimers();
    const sent: string[] = [];
    const t = new Throttle<string>(50, (k, v) => sent.push(`${k}=${v}`));
    t.push('a', '1');
    t.push('b', '1');
    t.push('a', '2');
    expect(sent).toEqual(['a=1', 'b=1']);
    vi.advanceTimersByTime(60);
    expect(sent).toEqual(['a=1', 'b=1', 'a=2']);
  });
});

describe('interpolator', () => {
  test('renders between the samples around now - delay, never past the newest', () => {
    let now = 0;
    const ip = new Interpolator<{ x: number; y: number }>({ delay: 100, now: () => now });
    ip.push('bob', { x: 0, y: 0 }, 0);
    ip.push('bob', { x: 100, y: 50 }, 50);
    ip.push('bob', { x: 200, y: 50 }, 100);
    now = 100; // renders t=0
    expect(ip.get('bob')).toEqual({ x: 0, y: 0 });
    now = 125; // t=25: halfway between the first two
    expect(ip.get('bob')).toEqual({ x: 50, y: 25 });
    now = 175;
    expect(ip.get('bob')).toEqual({ x: 150, y: 50 });
    now = 1000;
    expect(ip.get('bob')).toEqual({ x: 200, y: 50 });
    expect(ip.get('nobody')).toBeUndefined();
    ip.remove('bob');
    expect(ip.ids()).toEqual([]);
  });
  test('ignores values that are not records of numbers', () => {
    const ip = new Interpolator<{ x: number }>({ now: () => 0 });
    ip.push('a', { x: Number.NaN });
    ip.push('a', 'nope' as never);
    ip.push('a', null as never);
    expect(ip.get('a')).toBeUndefined();
  });
  test('lerp', () => {
    expect(lerp({ x: 0, y: 10 }, { x: 10, y: 20 }, 0.25)).toEqual({ x: 2.5, y: 12.5 });
  });
});

describe('frame readers', () => {
  test('a publication with wrong field types is read safely or refused', () => {
    expect(F.publication('c', null)).toBeUndefined();
    expect(F.publication('c', { offset: -1 })).toBeUndefined();
    expect(F.publication('c', { offset: 'x' })).toBeUndefined();
    expect(F.publication('c', { offset: 2 ** 60 })).toBeUndefined();
    expect(F.publication('c', { offset: 3, epoch: 7, time: 'x', info: { client: 1 } })).toEqual({
      channel: 'c', offset: 3, epoch: '', time: 0, data: null,
    });
    expect(F.publications('c', 'nope')).toEqual([]);
    expect(F.clients([1, 2])).toEqual({});
    expect(F.position({ offset: 1.5, epoch: 'e' })).toBeUndefined();
  });
});
