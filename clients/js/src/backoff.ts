/**
 * Exponential backoff with full jitter: attempt n waits a uniformly random time in
 * [0, min(max, base * 2^n)], so that thousands of clients cut off by one restart do not come back
 * in lockstep.
 */
export function backoffDelay(attempt: number, base: number, max: number, random: () => number = Math.random): number {
  const ceiling = Math.min(max, base * 2 ** Math.min(attempt, 30));
  return Math.floor(random() * ceiling);
}
