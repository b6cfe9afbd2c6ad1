import { FLOAT_OR_SINK_ANNOTATIONS } from './constants';

/**
 * A platform capability's float-or-sink decision, read from its annotations.
 *
 * @public
 */
export interface FloatOrSinkDecision {
  /** `float`: retire it in favour of the base platform; `sink`: keep it. */
  decision: 'float' | 'sink';
  baseCapability?: string;
  rationale?: string;
  /** `YYYY-MM-DD` */
  reviewBy?: string;
  /** For a floating capability: an entity ref or a vendor product name. */
  replacedBy?: string;
}

/**
 * The outcome of reading float-or-sink annotations: the decision when they
 * hold one, and a message for each annotation with a bad value.
 *
 * @public
 */
export interface FloatOrSinkParseResult {
  decision?: FloatOrSinkDecision;
  problems: string[];
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function isIsoDate(value: string): boolean {
  const match = ISO_DATE.exec(value);
  if (!match) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return (
    !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value
  );
}

/**
 * Reads the float-or-sink annotations of an entity. Entities without the
 * decision annotation yield neither a decision nor problems, unless they carry
 * other `freeboard.dev/` decision annotations without it.
 *
 * @public
 */
export function parseFloatOrSinkAnnotations(
  annotations: Record<string, string> | undefined,
): FloatOrSinkParseResult {
  const a = FLOAT_OR_SINK_ANNOTATIONS;
  const get = (key: string) => {
    const value = annotations?.[key];
    return value === undefined ? undefined : value.trim();
  };
  const problems: string[] = [];
  const raw = get(a.decision);
  const others = [a.baseCapability, a.rationale, a.reviewBy, a.replacedBy];

  if (raw === undefined) {
    const stray = others.filter(key => get(key) !== undefined);
    if (stray.length > 0) {
      problems.push(
        `${stray.join(', ')} set without ${a.decision}: add ${
          a.decision
        } (float or sink) or remove them`,
      );
    }
    return { problems };
  }

  const value = raw.toLowerCase();
  if (value !== 'float' && value !== 'sink') {
    problems.push(`${a.decision} must be "float" or "sink", got "${raw}"`);
  }
  const reviewBy = get(a.reviewBy);
  if (reviewBy !== undefined && !isIsoDate(reviewBy)) {
    problems.push(
      `${a.reviewBy} must be a date in the form YYYY-MM-DD, got "${reviewBy}"`,
    );
  }
  const replacedBy = get(a.replacedBy);
  if (replacedBy !== undefined && value === 'sink') {
    problems.push(
      `${a.replacedBy} is only meaningful on a floating capability, but ${a.decision} is "sink"`,
    );
  }
  if (replacedBy === '') {
    problems.push(`${a.replacedBy} must not be empty`);
  }
  if (problems.length > 0) {
    return { problems };
  }
  return {
    decision: {
      decision: value as 'float' | 'sink',
      baseCapability: get(a.baseCapability) || undefined,
      rationale: get(a.rationale) || undefined,
      reviewBy,
      replacedBy: replacedBy || undefined,
    },
    problems,
  };
}
