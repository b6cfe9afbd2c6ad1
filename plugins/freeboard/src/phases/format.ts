import { parseEntityRef } from '@backstage/catalog-model';
import {
  InitiativeState,
  MVP_PHASES,
  MvpPhase,
  PhaseCriterion,
} from '@freeboard/backstage-plugin-common';

const PHASE_LABELS: Record<MvpPhase, string> = {
  discovery: 'Discovery',
  integration: 'Integration',
  deployment: 'Deployment',
  adoption: 'Adoption',
};

/** `Discovery`, `Integration`, …: how the UI names a phase. */
export function phaseLabel(phase: MvpPhase): string {
  return PHASE_LABELS[phase] ?? phase;
}

/** The phase an advance leads to; after Adoption, Discovery of the next iteration. */
export function nextPhase(phase: MvpPhase): MvpPhase {
  const index = MVP_PHASES.indexOf(phase);
  return MVP_PHASES[(index + 1) % MVP_PHASES.length];
}

/** The phases before `phase` in an iteration: where a step back may go. */
export function earlierPhases(phase: MvpPhase): MvpPhase[] {
  return MVP_PHASES.slice(0, MVP_PHASES.indexOf(phase));
}

/** Where an advance leads, in words: the next iteration says so. */
export function nextPhaseLabel(state: InitiativeState): string {
  const to = nextPhase(state.phase);
  return to === MVP_PHASES[0]
    ? `${phaseLabel(to)} (iteration ${state.iteration + 1})`
    : phaseLabel(to);
}

/** The button text of an advance, naming where it leads. */
export function advanceLabel(state: InitiativeState): string {
  return `Advance to ${nextPhaseLabel(state)}`;
}

/** How many of a phase's criteria are done, waived, expired or open. */
export interface CriteriaProgress {
  total: number;
  done: number;
  waived: number;
  expired: number;
  open: number;
}

export function criteriaProgress(criteria: PhaseCriterion[]): CriteriaProgress {
  const count = (state: PhaseCriterion['state']) =>
    criteria.filter(c => c.state === state).length;
  return {
    total: criteria.length,
    done: count('done'),
    waived: count('waived'),
    expired: count('expired'),
    open: count('open'),
  };
}

/** `4 of 6 done · 1 waived · 1 waiver expired`; waivers counted apart. */
export function describeProgress(progress: CriteriaProgress): string {
  if (progress.total === 0) return 'No exit criteria';
  const parts = [`${progress.done} of ${progress.total} done`];
  if (progress.waived) parts.push(`${progress.waived} waived`);
  if (progress.expired) {
    parts.push(
      `${progress.expired} ${
        progress.expired === 1 ? 'waiver' : 'waivers'
      } expired`,
    );
  }
  return parts.join(' · ');
}

const DAY_MS = 86_400_000;

/** A `Date` as the `YYYY-MM-DD` of the reader's calendar. */
export function toDateInput(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(
    date.getDate(),
  )}`;
}

/** The reader's calendar day `days` from `now`, as `YYYY-MM-DD`. */
export function daysFromNow(days: number, now = new Date()): string {
  const date = new Date(now);
  date.setDate(date.getDate() + days);
  return toDateInput(date);
}

/** Start of a `YYYY-MM-DD` day in the reader's time zone, as ISO 8601. */
export function startOfDayIso(day: string): string {
  return new Date(`${day}T00:00:00`).toISOString();
}

/**
 * The moment an "as of" day means: its end in the reader's time zone, or now
 * for today (the backend rebuilds the past, not the future).
 */
export function asOfIso(day: string, now = new Date()): string {
  const end = new Date(`${day}T23:59:59.999`);
  return (end.getTime() > now.getTime() ? now : end).toISOString();
}

/** Whole calendar days from today to a `YYYY-MM-DD` date; negative when past. */
export function daysUntil(day: string, now = new Date()): number {
  const [y, m, d] = day.split('-').map(Number);
  const target = Date.UTC(y, m - 1, d);
  const today = Date.UTC(now.getFullYear(), now.getMonth(), now.getDate());
  return Math.round((target - today) / DAY_MS);
}

/** `12 days left`, `Due today` or `5 days overdue`. */
export function describeDaysLeft(day: string, now = new Date()): string {
  const days = daysUntil(day, now);
  if (Number.isNaN(days)) return '';
  if (days === 0) return 'Due today';
  const plural = (n: number) => (n === 1 ? 'day' : 'days');
  return days > 0
    ? `${days} ${plural(days)} left`
    : `${-days} ${plural(-days)} overdue`;
}

/** A `YYYY-MM-DD` calendar date for reading (`1 Jul 2025`), as it is. */
export function formatDay(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return day;
  return date.toLocaleDateString(undefined, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    timeZone: 'UTC',
  });
}

/** A timestamp with its time, for the history: `3 May 2024, 09:00`. */
export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString(undefined, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
}

/**
 * `7 of 12 teams; Wave 1: 5 of 5, Wave 2: 2 of 7`: adoption by the cohorts'
 * teams, then per cohort in order. Without cohorts, the adopting teams.
 */
export function describeAdoption(state: InitiativeState): string {
  const { adoption, cohorts } = state;
  if (cohorts.length === 0) {
    if (adoption.adoptedTeams === 0) return 'No team has adopted it yet';
    return `${adoption.adoptedTeams} ${
      adoption.adoptedTeams === 1 ? 'team' : 'teams'
    } adopted; no cohorts planned`;
  }
  const waves = [...cohorts]
    .sort((a, b) => a.order - b.order)
    .map(c => `${c.name}: ${c.adopted} of ${c.total}`)
    .join(', ');
  return `${adoption.cohortTeamsAdopted} of ${adoption.cohortTeams} teams; ${waves}`;
}

/** The name part of an entity ref, for labels: `group:default/security` → `security`. */
export function refName(ref: string): string {
  try {
    return parseEntityRef(ref).name;
  } catch {
    return ref;
  }
}

/** Kinds of history events, grouped as the history filter offers them. */
export const HISTORY_FILTERS = [
  {
    id: 'moves',
    label: 'Phase moves',
    types: ['started', 'advanced', 'stepped-back'],
  },
  {
    id: 'criteria',
    label: 'Exit criteria',
    types: ['criterion-added', 'criterion-removed', 'criterion-set'],
  },
  {
    id: 'signoffs',
    label: 'Sign-offs',
    types: ['signoff-requested', 'signoff-decided'],
  },
  {
    id: 'adoption',
    label: 'Pioneer, targets and cohorts',
    types: [
      'pioneer-set',
      'target-set',
      'cohort-added',
      'cohort-updated',
      'cohort-removed',
    ],
  },
] as const;

/** One of {@link HISTORY_FILTERS}' ids. */
export type HistoryFilterId = (typeof HISTORY_FILTERS)[number]['id'];

const EVENT_LABELS: Record<string, string> = {
  started: 'Started',
  advanced: 'Advanced',
  'stepped-back': 'Stepped back',
  'criterion-added': 'Criterion added',
  'criterion-removed': 'Criterion removed',
  'criterion-set': 'Criterion changed',
  'signoff-requested': 'Sign-off requested',
  'signoff-decided': 'Sign-off decided',
  'pioneer-set': 'Pioneer team',
  'target-set': 'Target date',
  'cohort-added': 'Cohort added',
  'cohort-updated': 'Cohort changed',
  'cohort-removed': 'Cohort removed',
};

/** An event type in words; unknown types as they are. */
export function eventLabel(type: string): string {
  return EVENT_LABELS[type] ?? type;
}
