import { MvpPhase } from '@freeboard/backstage-plugin-common';
import { CohortDefinition, PhaseEvent } from './events';

const PHASE_TITLES: Record<MvpPhase, string> = {
  discovery: 'Discovery',
  integration: 'Integration',
  deployment: 'Deployment',
  adoption: 'Adoption',
};

/** A phase as people name it ("Discovery"). */
export function phaseTitle(phase: MvpPhase): string {
  return PHASE_TITLES[phase] ?? phase;
}

function quoted(text: string): string {
  return `“${text}”`;
}

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

function cohortDetails(cohort: CohortDefinition): string {
  return `${quoted(cohort.name)} (${plural(
    cohort.teamRefs.length,
    'team',
    'teams',
  )}, target ${cohort.targetDate})`;
}

/**
 * The change an event made, in words, for the history ("Advanced from
 * Discovery to Integration"). Pure.
 *
 * `criteriaTitles` names ids the event only refers to, as they were before
 * the event: criteria (for ticks and removals) and cohorts (for removals;
 * cohort ids `cohort-<n>` never clash with criterion ids). An id it cannot
 * name is shown as is.
 */
export function describeEvent(
  event: PhaseEvent,
  criteriaTitles: (id: string) => string | undefined,
): string {
  const data = event.data;
  const title = (id: string) => quoted(criteriaTitles(id) ?? id);
  switch (data.type) {
    case 'started':
      return `Started at Discovery with ${plural(
        data.criteria.length,
        'criterion',
        'criteria',
      )} and ${plural(
        data.signoffs.length,
        'required sign-off',
        'required sign-offs',
      )}`;
    case 'advanced':
      if (data.to === 'discovery') {
        return `Completed iteration ${
          data.iteration - 1
        }: advanced from ${phaseTitle(data.from)} to Discovery of iteration ${
          data.iteration
        }`;
      }
      return `Advanced from ${phaseTitle(data.from)} to ${phaseTitle(data.to)}`;
    case 'stepped-back':
      return `Stepped back from ${phaseTitle(data.from)} to ${phaseTitle(
        data.to,
      )}`;
    case 'criterion-added':
      return `Added the ${phaseTitle(data.criterion.phase)} criterion ${quoted(
        data.criterion.title,
      )}`;
    case 'criterion-removed':
      return `Removed the criterion ${title(data.id)}`;
    case 'criterion-set':
      switch (data.state) {
        case 'done':
          return `Ticked ${title(data.id)}`;
        case 'open':
          return `Unticked ${title(data.id)}`;
        default:
          return data.waiverExpiresAt
            ? `Waived ${title(data.id)} until ${data.waiverExpiresAt.slice(
                0,
                10,
              )}`
            : `Waived ${title(data.id)}`;
      }
    case 'signoff-requested':
      return `Asked ${data.groupRef} to sign off ${phaseTitle(data.phase)}`;
    case 'signoff-decided':
      return `${data.groupRef} ${data.decision} the ${phaseTitle(
        data.phase,
      )} sign-off`;
    case 'pioneer-set':
      return data.teamRef
        ? `Set the pioneer team to ${data.teamRef}`
        : 'Cleared the pioneer team';
    case 'target-set':
      return data.date
        ? `Set the ${phaseTitle(data.phase)} target date to ${data.date}`
        : `Cleared the ${phaseTitle(data.phase)} target date`;
    case 'cohort-added':
      return `Added cohort ${cohortDetails(data.cohort)}`;
    case 'cohort-updated':
      return `Updated cohort ${cohortDetails(data.cohort)}`;
    case 'cohort-removed':
      return `Removed cohort ${title(data.id)}`;
    default: {
      // Only reachable by an event written by a newer version: name its type.
      const unknown: never = data;
      return String((unknown as { type?: unknown }).type);
    }
  }
}
