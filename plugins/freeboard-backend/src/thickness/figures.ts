import {
  ThicknessCategory,
  ThicknessFigures,
  ThicknessPoint,
} from '@freeboard/backstage-plugin-common';

/*
 * The thinnest-viable-platform arithmetic, free of I/O: how a capability
 * counts, what a set of capabilities adds up to, the projection once the
 * floats complete, and the daily trend replayed from the change log.
 */

/** How a capability counts, or `none` when it has no valid decision. */
export type ThicknessState = ThicknessCategory | 'none';

/** A capability as the thickness counts it. */
export interface WeightedCapability {
  category: ThicknessCategory;
  /** Consumer teams, at least 1. */
  weight: number;
}

/**
 * Whether `baseCapability` names something the base platform offers. Teams
 * write "None: unique to the company" (or just "none") to say that nothing
 * in the base overlaps; such a capability is unique, not kept, so a value
 * that starts with the word "none" (any case) counts as no base capability.
 * The word, not the letters: a product called "Nonesuch" is a base.
 */
export function hasBaseCapability(
  baseCapability: string | null | undefined,
): boolean {
  const value = (baseCapability ?? '').trim();
  return value !== '' && !/^none\b/i.test(value);
}

/**
 * The category of a capability with a valid decision: `float` is floating;
 * `sink` duplicating a base capability is kept, `sink` without one unique.
 * Undefined without a valid decision: such a capability is not counted.
 */
export function thicknessCategoryOf(capability: {
  decision: string | null | undefined;
  baseCapability: string | null | undefined;
}): ThicknessCategory | undefined {
  if (capability.decision === 'float') return 'floating';
  if (capability.decision === 'sink') {
    return hasBaseCapability(capability.baseCapability) ? 'kept' : 'unique';
  }
  return undefined;
}

/**
 * A capability's weight: its consumer teams, at least 1, since a capability
 * nobody is known to use still costs its owners.
 */
export function weightOf(consumerTeams: number | null | undefined): number {
  const teams = Number(consumerTeams);
  return Number.isFinite(teams) ? Math.max(1, Math.floor(teams)) : 1;
}

/** Ratios are reported to a millionth; finer digits are float noise. */
function ratio(part: number, whole: number): number {
  return whole > 0 ? Math.round((part / whole) * 1e6) / 1e6 : 0;
}

/** Running counts that capabilities are added to and taken from. */
class Tally {
  private readonly counts = { unique: 0, kept: 0, floating: 0 };
  private readonly weights = { unique: 0, kept: 0, floating: 0 };

  add(category: ThicknessCategory, weight: number, sign: 1 | -1 = 1) {
    this.counts[category] += sign;
    this.weights[category] += sign * weight;
  }

  figures(): ThicknessFigures {
    const { counts: c, weights: w } = this;
    const duplicating = w.kept + w.floating;
    return {
      capabilities: c.unique + c.kept + c.floating,
      unique: c.unique,
      kept: c.kept,
      floating: c.floating,
      weightedUnique: w.unique,
      weightedKept: w.kept,
      weightedFloating: w.floating,
      thickness: ratio(duplicating, duplicating + w.unique),
    };
  }
}

/**
 * The figures of a set of capabilities: thickness is the weighted share that
 * duplicates the base, kept or floating; 0 for an empty set.
 */
export function thicknessFiguresOf(
  capabilities: Iterable<WeightedCapability>,
): ThicknessFigures {
  const tally = new Tally();
  for (const c of capabilities) tally.add(c.category, c.weight);
  return tally.figures();
}

/**
 * The figures once every floating capability is retired: floats leave the
 * platform, what is kept and unique stays.
 */
export function projectionOf(
  capabilities: Iterable<WeightedCapability>,
): ThicknessFigures {
  return thicknessFiguresOf(
    [...capabilities].filter(c => c.category !== 'floating'),
  );
}

/** One row of the capability log: the state from `day` on. */
export interface ThicknessLogEntry {
  entityRef: string;
  /** `YYYY-MM-DD` (UTC) */
  day: string;
  category: ThicknessState;
  weight: number;
}

/**
 * The figures at the end of each of `days` (ascending `YYYY-MM-DD`),
 * replayed from a change log: a capability's state on day D is its latest
 * entry with day <= D, and `none` (or no entry yet) does not count. Entries
 * after the last day are ignored. Linear in entries plus days: each change
 * takes the capability's previous state out of the running tally and puts
 * the new one in.
 */
export function replayTrend(
  entries: readonly ThicknessLogEntry[],
  days: readonly string[],
): ThicknessPoint[] {
  const sorted = [...entries].sort((a, b) => {
    if (a.day !== b.day) return a.day < b.day ? -1 : 1;
    return a.entityRef < b.entityRef ? -1 : 1;
  });
  const tally = new Tally();
  const current = new Map<string, ThicknessLogEntry>();
  const points: ThicknessPoint[] = [];
  let next = 0;
  for (const day of days) {
    while (next < sorted.length && sorted[next].day <= day) {
      const entry = sorted[next];
      next += 1;
      const before = current.get(entry.entityRef);
      if (before && before.category !== 'none') {
        tally.add(before.category, before.weight, -1);
      }
      if (entry.category !== 'none') {
        tally.add(entry.category, weightOf(entry.weight));
      }
      current.set(entry.entityRef, {
        ...entry,
        weight: weightOf(entry.weight),
      });
    }
    points.push({ day, ...tally.figures() });
  }
  return points;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** `YYYY-MM-DD` (UTC) of a time. */
export function isoDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/** The `count` UTC days ending with the day of `at`, oldest first. */
export function daysEndingAt(at: Date, count: number): string[] {
  const today = Math.floor(at.getTime() / DAY_MS);
  return Array.from({ length: count }, (_, i) =>
    new Date((today - count + 1 + i) * DAY_MS).toISOString().slice(0, 10),
  );
}
