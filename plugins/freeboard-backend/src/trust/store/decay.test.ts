import { DAY_MS, bruteForceBalance, decayFactor, forwardWeight } from './decay';

// A small deterministic generator keeps the test repeatable.
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

describe('forward-decayed sums', () => {
  const halfLifeMs = 180 * DAY_MS;
  const nowMs = Date.UTC(2026, 10, 21);
  const tenYearsMs = 10 * 365 * DAY_MS;

  function entries(seed: number, count: number) {
    const next = random(seed);
    return Array.from({ length: count }, () => ({
      signedAmount: (next() < 0.5 ? -1 : 1) * (1 + Math.floor(next() * 100)),
      atMs: nowMs - Math.floor(next() * tenYearsMs),
    }));
  }

  function forwardBalance(
    list: Array<{ signedAmount: number; atMs: number }>,
    landmarkMs: number,
  ) {
    const basis = { landmarkMs, halfLifeMs };
    let stored = 0;
    for (const e of list)
      stored += e.signedAmount * forwardWeight(e.atMs, basis);
    return stored * decayFactor(nowMs, basis);
  }

  it.each([1, 2, 3, 4, 5])(
    'agrees with the brute-force sum within 1e-9 relative (seed %p)',
    seed => {
      const list = entries(seed, 5000);
      const expected = bruteForceBalance(list, nowMs, halfLifeMs);
      // Landmarks before, inside and after the entries' ten years.
      for (const landmarkMs of [
        nowMs - tenYearsMs,
        nowMs - tenYearsMs / 2,
        nowMs,
      ]) {
        const actual = forwardBalance(list, landmarkMs);
        expect(Math.abs(actual - expected)).toBeLessThanOrEqual(
          1e-9 * Math.max(1, Math.abs(expected)),
        );
      }
    },
  );

  it('gives the same balance whatever order the entries arrive in', () => {
    const list = entries(42, 2000);
    const landmarkMs = nowMs - tenYearsMs;
    const inOrder = forwardBalance(list, landmarkMs);
    const next = random(7);
    const shuffled = [...list];
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
    }
    const afterShuffle = forwardBalance(shuffled, landmarkMs);
    expect(Math.abs(afterShuffle - inOrder)).toBeLessThanOrEqual(
      1e-9 * Math.max(1, Math.abs(inOrder)),
    );
  });

  it('halves an amount every half-life', () => {
    const basis = { landmarkMs: nowMs - 3 * halfLifeMs, halfLifeMs };
    const stored = 80 * forwardWeight(nowMs - halfLifeMs, basis);
    expect(stored * decayFactor(nowMs, basis)).toBeCloseTo(40, 12);
  });
});
