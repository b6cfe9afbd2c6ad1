import {
  DecisionField,
  DecisionHistoryItem,
  DecisionReview,
} from '@freeboard/backstage-plugin-common';

const FIELD_LABELS: Record<DecisionField, string> = {
  decision: 'Decision',
  baseCapability: 'Base capability',
  rationale: 'Rationale',
  reviewBy: 'Review-by',
  replacedBy: 'Replaced by',
};

/** Fields whose values are free text, quoted so where they end is clear. */
const FREE_TEXT_FIELDS: ReadonlySet<DecisionField> = new Set([
  'baseCapability',
  'rationale',
  'replacedBy',
]);

const plural = (n: number, one: string, many: string) =>
  `${n} ${n === 1 ? one : many}`;

/** `Review due today`, `Review due in 3 days` or `Review overdue by 1 day`. */
export function describeReview(review: DecisionReview): string {
  if (review.overdueDays !== undefined) {
    return `Review overdue by ${plural(review.overdueDays, 'day', 'days')}`;
  }
  if (review.dueInDays === 0) return 'Review due today';
  return `Review due in ${plural(review.dueInDays, 'day', 'days')}`;
}

/** How the UI names a decision field, e.g. `Review-by`. */
export function fieldLabel(field: DecisionField): string {
  return FIELD_LABELS[field];
}

function showValue(field: DecisionField, value: string): string {
  return FREE_TEXT_FIELDS.has(field) ? `“${value}”` : value;
}

/** The verb of a change: a review date moves, anything else changes. */
const changeVerb = (field: DecisionField) =>
  field === 'reviewBy' ? 'moved' : 'changed';

/**
 * The decision values recorded with a `first-seen`, `removed` or
 * `entity-gone` event (a JSON object of field → annotation value), as
 * `Decision: float · Review-by: 2027-03-31`. Undefined for anything else,
 * so a malformed value shows no details rather than breaking the list.
 */
export function describeValues(json: string | undefined): string | undefined {
  if (!json) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return undefined;
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return undefined;
  }
  const values = parsed as Record<string, unknown>;
  const parts = (Object.keys(FIELD_LABELS) as DecisionField[]).flatMap(
    field => {
      const value = values[field];
      return typeof value === 'string'
        ? [`${FIELD_LABELS[field]}: ${showValue(field, value)}`]
        : [];
    },
  );
  return parts.length > 0 ? parts.join(' · ') : undefined;
}

/**
 * One history event in words: the headline, and details where there are
 * some (the values first seen or removed).
 */
export function describeDecisionEvent(event: DecisionHistoryItem): {
  summary: string;
  details?: string;
} {
  switch (event.type) {
    case 'first-seen':
      return { summary: 'First seen', details: describeValues(event.newValue) };
    case 'removed':
      return {
        summary: 'Removed',
        details: describeValues(event.oldValue),
      };
    case 'entity-gone':
      return {
        summary: 'Entity left the catalog',
        details: describeValues(event.oldValue),
      };
    case 'invalid':
      return {
        summary: `Annotations invalid: ${
          event.problems && event.problems.length > 0
            ? event.problems.join('; ')
            : 'no details recorded'
        }`,
      };
    case 'changed':
      return { summary: describeChange(event) };
    default:
      // A type a newer backend added: say what it is rather than nothing.
      return { summary: String(event.type) };
  }
}

function describeChange(event: DecisionHistoryItem): string {
  const field = event.field;
  if (!field || !(field in FIELD_LABELS)) {
    return 'Decision annotations changed';
  }
  const label = FIELD_LABELS[field];
  const { oldValue, newValue } = event;
  if (oldValue !== undefined && newValue !== undefined) {
    return `${label} ${changeVerb(field)} from ${showValue(
      field,
      oldValue,
    )} to ${showValue(field, newValue)}`;
  }
  if (newValue !== undefined) {
    return `${label} set to ${showValue(field, newValue)}`;
  }
  if (oldValue !== undefined) {
    return `${label} removed (was ${showValue(field, oldValue)})`;
  }
  return `${label} changed`;
}
