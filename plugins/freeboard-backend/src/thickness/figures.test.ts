import {
  ThicknessLogEntry,
  daysEndingAt,
  hasBaseCapability,
  projectionOf,
  replayTrend,
  thicknessCategoryOf,
  thicknessFiguresOf,
  weightOf,
} from './figures';

/*
 * The thickness arithmetic: categories (with the "none" base capability),
 * weights, figures, the projection, the empty platform and the trend
 * replayed from a change log.
 */

const EMPTY = {
  capabilities: 0,
  unique: 0,
  kept: 0,
  floating: 0,
  weightedUnique: 0,
  weightedKept: 0,
  weightedFloating: 0,
  thickness: 0,
};

describe('thicknessCategoryOf', () => {
  it('floats, keeps what duplicates a base, and counts the rest as unique', () => {
    const of = (decision: string | null, baseCapability?: string | null) =>
      thicknessCategoryOf({ decision, baseCapability });
    expect(of('float')).toBe('floating');
    expect(of('float', 'GitHub Actions')).toBe('floating');
    expect(of('sink', 'GitHub Actions')).toBe('kept');
    expect(of('sink')).toBe('unique');
    expect(of('sink', null)).toBe('unique');
    expect(of('sink', '   ')).toBe('unique');
    expect(of(null, 'GitHub Actions')).toBeUndefined();
    expect(of('maybe')).toBeUndefined();
  });

  it('reads a base capability written as "none" as no base capability', () => {
    for (const none of [
      'None: unique to the company',
      'none',
      'NONE',
      '  None - nothing in the base does this',
      'none.',
    ]) {
      expect({ none, has: hasBaseCapability(none) }).toEqual({
        none,
        has: false,
      });
      expect(
        thicknessCategoryOf({ decision: 'sink', baseCapability: none }),
      ).toBe('unique');
    }
    // A name that merely starts with the letters is a base capability.
    expect(hasBaseCapability('Nonesuch Cloud')).toBe(true);
    expect(hasBaseCapability('Amazon EKS')).toBe(true);
  });
});

describe('weightOf', () => {
  it('weighs consumer teams, at least 1', () => {
    expect(weightOf(50)).toBe(50);
    expect(weightOf(2)).toBe(2);
    expect(weightOf(1)).toBe(1);
    expect(weightOf(0)).toBe(1);
    expect(weightOf(-3)).toBe(1);
    expect(weightOf(null)).toBe(1);
    expect(weightOf(undefined)).toBe(1);
    expect(weightOf(Number.NaN)).toBe(1);
  });
});

describe('thicknessFiguresOf and projectionOf', () => {
  const platform = [
    { category: 'kept' as const, weight: 50 },
    { category: 'kept' as const, weight: 2 },
    { category: 'floating' as const, weight: 8 },
    { category: 'unique' as const, weight: 20 },
    { category: 'unique' as const, weight: 1 },
  ];

  it('counts and weighs each category; thickness is the weighted duplicating share', () => {
    expect(thicknessFiguresOf(platform)).toEqual({
      capabilities: 5,
      unique: 2,
      kept: 2,
      floating: 1,
      weightedUnique: 21,
      weightedKept: 52,
      weightedFloating: 8,
      // (52 + 8) / (21 + 52 + 8)
      thickness: Math.round((60 / 81) * 1e6) / 1e6,
    });
  });

  it('a capability fifty teams use weighs more than one two teams use', () => {
    const heavy = thicknessFiguresOf([
      { category: 'kept', weight: 50 },
      { category: 'unique', weight: 2 },
    ]);
    const light = thicknessFiguresOf([
      { category: 'kept', weight: 2 },
      { category: 'unique', weight: 50 },
    ]);
    expect(heavy.thickness).toBeCloseTo(50 / 52, 6);
    expect(light.thickness).toBeCloseTo(2 / 52, 6);
  });

  it('projects the platform with every float retired', () => {
    expect(projectionOf(platform)).toEqual({
      capabilities: 4,
      unique: 2,
      kept: 2,
      floating: 0,
      weightedUnique: 21,
      weightedKept: 52,
      weightedFloating: 0,
      thickness: Math.round((52 / 73) * 1e6) / 1e6,
    });
    // Only floats: the projection is an empty platform.
    expect(projectionOf([{ category: 'floating', weight: 3 }])).toEqual(EMPTY);
  });

  it('answers 0 for an empty platform, 1 when everything duplicates', () => {
    expect(thicknessFiguresOf([])).toEqual(EMPTY);
    expect(projectionOf([])).toEqual(EMPTY);
    expect(
      thicknessFiguresOf([{ category: 'floating', weight: 4 }]).thickness,
    ).toBe(1);
    expect(
      thicknessFiguresOf([{ category: 'unique', weight: 4 }]).thickness,
    ).toBe(0);
  });
});

describe('replayTrend', () => {
  const log = (
    entityRef: string,
    day: string,
    category: ThicknessLogEntry['category'],
    weight = 1,
  ): ThicknessLogEntry => ({ entityRef, day, category, weight });

  it('holds each capability at its latest row up to the day, through changes', () => {
    const days = ['2026-11-01', '2026-11-02', '2026-11-03', '2026-11-04'];
    const points = replayTrend(
      [
        // Before the window: the state the first day starts from.
        log('a', '2026-10-01', 'kept', 3),
        log('a', '2026-10-20', 'kept', 4),
        log('b', '2026-10-15', 'unique', 2),
        // b sinks into duplication, then floats with more consumers.
        log('b', '2026-11-02', 'kept', 2),
        log('b', '2026-11-04', 'floating', 6),
        // c arrives on the 3rd and loses its decision the next day.
        log('c', '2026-11-03', 'unique', 0),
        log('c', '2026-11-04', 'none', 0),
        // After the window: ignored.
        log('a', '2026-11-05', 'none'),
      ],
      days,
    );
    expect(points.map(p => p.day)).toEqual(days);
    expect(
      points.map(p => [p.kept, p.unique, p.floating, p.capabilities]),
    ).toEqual([
      [1, 1, 0, 2],
      [2, 0, 0, 2],
      [2, 1, 0, 3],
      [1, 0, 1, 2],
    ]);
    expect(points[0]).toMatchObject({
      weightedKept: 4,
      weightedUnique: 2,
      thickness: Math.round((4 / 6) * 1e6) / 1e6,
    });
    expect(points[1]).toMatchObject({ weightedKept: 6, thickness: 1 });
    // c's weight 0 counts as 1.
    expect(points[2]).toMatchObject({
      weightedKept: 6,
      weightedUnique: 1,
      thickness: Math.round((6 / 7) * 1e6) / 1e6,
    });
    expect(points[3]).toMatchObject({
      weightedKept: 4,
      weightedFloating: 6,
      weightedUnique: 0,
      thickness: 1,
    });
  });

  it('counts nothing before a capability is first logged or once it is none', () => {
    const points = replayTrend(
      [log('a', '2026-11-02', 'kept', 5), log('a', '2026-11-03', 'none')],
      ['2026-11-01', '2026-11-02', '2026-11-03'],
    );
    expect(points.map(p => p.weightedKept)).toEqual([0, 5, 0]);
    expect(points[0]).toEqual({ day: '2026-11-01', ...EMPTY });
    expect(points[2]).toEqual({ day: '2026-11-03', ...EMPTY });
  });

  it('gives an empty platform a zero point per day', () => {
    expect(replayTrend([], ['2026-11-01', '2026-11-02'])).toEqual([
      { day: '2026-11-01', ...EMPTY },
      { day: '2026-11-02', ...EMPTY },
    ]);
  });
});

describe('daysEndingAt', () => {
  it('lists the UTC days ending with today, oldest first', () => {
    const at = new Date(Date.UTC(2026, 2, 1, 23, 59, 59));
    expect(daysEndingAt(at, 3)).toEqual([
      '2026-02-27',
      '2026-02-28',
      '2026-03-01',
    ]);
    expect(daysEndingAt(at, 1)).toEqual(['2026-03-01']);
    expect(daysEndingAt(at, 365)).toHaveLength(365);
  });
});
