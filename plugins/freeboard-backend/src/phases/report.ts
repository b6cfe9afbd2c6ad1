import {
  InitiativeState,
  MvpPhase,
  PhaseBlocker,
  PhaseCriterion,
  PhaseHistoryEvent,
  PhaseSignoff,
  TeamAdoption,
} from '@freeboard/backstage-plugin-common';
import { phaseTitle } from './domain/describe';

/** A phase of the current iteration, as the steering report shows it. */
export interface SteeringReportPhase {
  id: MvpPhase;
  title: string;
  status: 'done' | 'current' | 'upcoming';
  enteredAt?: string;
  exitedAt?: string;
  targetDate?: string;
  criteria: PhaseCriterion[];
}

/** A waived criterion, flagged when its waiver has expired. */
export interface SteeringReportWaiver {
  phase: MvpPhase;
  criterionId: string;
  title: string;
  reason?: string;
  waivedBy?: string;
  waivedAt?: string;
  expiresAt?: string;
  expired: boolean;
}

/** A cohort with each of its teams' adoption. */
export interface SteeringReportCohort {
  id: string;
  name: string;
  order: number;
  targetDate: string;
  adopted: number;
  total: number;
  teams: Array<Omit<TeamAdoption, 'via'>>;
}

/** An initiative's steering report (`GET E/report?format=json`). */
export interface SteeringReport {
  entityRef: string;
  entityTitle?: string;
  /** ISO 8601. */
  generatedAt: string;
  /** Set when the report shows the initiative as of a past time. */
  asOf?: string;
  started: boolean;
  phase: MvpPhase;
  iteration: number;
  version: number;
  pioneerTeamRef?: string;
  phases: SteeringReportPhase[];
  waivers: SteeringReportWaiver[];
  signoffs: Array<PhaseSignoff & { phase: MvpPhase }>;
  adoption: {
    adoptedTeams: number;
    cohortTeams: number;
    cohortTeamsAdopted: number;
    cohorts: SteeringReportCohort[];
    /** Adopting teams in no cohort. */
    otherAdopters: TeamAdoption[];
  };
  blockers: PhaseBlocker[];
  /** The events given, newest first. */
  history: PhaseHistoryEvent[];
}

/**
 * User text for one line of Markdown, table cell or not: line breaks become
 * spaces, `|` and Markdown's inline punctuation are backslash-escaped, and
 * `<`, `>` (and `&` where it would start an entity) become entities, so no
 * text can end a table row, start a link or inject HTML.
 */
export function markdownText(text: string): string {
  return text
    .replace(/\r\n|[\r\n\u2028\u2029]/g, ' ')
    .replace(/[\\`*_[\]|~#!]/g, c => `\\${c}`)
    .replace(/&(?=#?[a-z0-9]+;)/gi, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

const CRITERION_STATES: Record<PhaseCriterion['state'], string> = {
  open: 'Open',
  done: 'Done',
  waived: 'Waived',
  expired: 'Waiver expired',
};

const SIGNOFF_STATES: Record<PhaseSignoff['state'], string> = {
  pending: 'Pending',
  approved: 'Approved',
  rejected: 'Rejected',
};

const TEAM_STATES: Record<TeamAdoption['state'], string> = {
  adopted: 'Adopted',
  'not-yet': 'Not yet',
  lost: 'Lost',
};

function day(iso: string | undefined): string {
  return iso ? iso.slice(0, 10) : '';
}

function moment(iso: string | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return markdownText(iso);
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function table(header: string[], rows: string[][]): string[] {
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map(() => ' --- ').join('|')}|`,
    ...rows.map(row => `| ${row.join(' | ')} |`),
    '',
  ];
}

function isExpired(criterion: PhaseCriterion, now: Date): boolean {
  return (
    criterion.state === 'expired' ||
    (criterion.state === 'waived' &&
      criterion.waiverExpiresAt !== undefined &&
      Date.parse(criterion.waiverExpiresAt) <= now.getTime())
  );
}

function buildReport(input: {
  state: InitiativeState;
  history: PhaseHistoryEvent[];
  entityTitle?: string;
  generatedAt: Date;
}): SteeringReport {
  const { state, generatedAt } = input;
  const byTeam = new Map(state.adoption.teams.map(t => [t.teamRef, t]));
  const inCohorts = new Set(state.cohorts.flatMap(c => c.teamRefs));
  return {
    entityRef: state.entityRef,
    ...(input.entityTitle ? { entityTitle: input.entityTitle } : {}),
    generatedAt: generatedAt.toISOString(),
    ...(state.asOf ? { asOf: state.asOf } : {}),
    started: state.started,
    phase: state.phase,
    iteration: state.iteration,
    version: state.version,
    ...(state.pioneerTeamRef ? { pioneerTeamRef: state.pioneerTeamRef } : {}),
    phases: state.phases.map(p => ({
      id: p.id,
      title: phaseTitle(p.id),
      status: p.status,
      ...(p.enteredAt ? { enteredAt: p.enteredAt } : {}),
      ...(p.exitedAt ? { exitedAt: p.exitedAt } : {}),
      ...(p.targetDate ? { targetDate: p.targetDate } : {}),
      criteria: p.criteria,
    })),
    waivers: state.phases.flatMap(p =>
      p.criteria
        .filter(c => c.state === 'waived' || c.state === 'expired')
        .map(c => ({
          phase: p.id,
          criterionId: c.id,
          title: c.title,
          ...(c.reason ? { reason: c.reason } : {}),
          ...(c.changedBy ? { waivedBy: c.changedBy } : {}),
          ...(c.changedAt ? { waivedAt: c.changedAt } : {}),
          ...(c.waiverExpiresAt ? { expiresAt: c.waiverExpiresAt } : {}),
          expired: isExpired(c, generatedAt),
        })),
    ),
    signoffs: state.phases.flatMap(p =>
      p.signoffs.map(s => ({ phase: p.id, ...s })),
    ),
    adoption: {
      adoptedTeams: state.adoption.adoptedTeams,
      cohortTeams: state.adoption.cohortTeams,
      cohortTeamsAdopted: state.adoption.cohortTeamsAdopted,
      cohorts: state.cohorts.map(c => ({
        id: c.id,
        name: c.name,
        order: c.order,
        targetDate: c.targetDate,
        adopted: c.adopted,
        total: c.total,
        teams: c.teamRefs.map(teamRef => {
          const team = byTeam.get(teamRef);
          return {
            teamRef,
            state: team?.state ?? 'not-yet',
            ...(team?.adoptedSince ? { adoptedSince: team.adoptedSince } : {}),
            ...(team?.lostAt ? { lostAt: team.lostAt } : {}),
          };
        }),
      })),
      otherAdopters: state.adoption.teams.filter(
        t => t.state === 'adopted' && !inCohorts.has(t.teamRef),
      ),
    },
    blockers: state.blockers,
    history: input.history,
  };
}

function percent(adopted: number, total: number): string {
  return total > 0 ? ` (${Math.round((adopted * 100) / total)}%)` : '';
}

function criterionState(c: PhaseCriterion): string {
  if (c.waiverExpiresAt && c.state === 'waived') {
    return `Waived until ${day(c.waiverExpiresAt)}`;
  }
  if (c.waiverExpiresAt && c.state === 'expired') {
    return `Waiver expired on ${day(c.waiverExpiresAt)}`;
  }
  return CRITERION_STATES[c.state] ?? markdownText(c.state);
}

function criterionWho(c: PhaseCriterion): string {
  if (c.kind === 'measured')
    return `Measured: ${markdownText(c.measured ?? '')}`;
  if (!c.changedBy) return '';
  return `${markdownText(c.changedBy)}, ${moment(c.changedAt)}`;
}

function renderMarkdown(report: SteeringReport): string {
  const t = markdownText;
  const lines: string[] = [];
  const name = report.entityTitle ?? report.entityRef;
  lines.push(`# Steering report: ${t(name)}`, '');
  lines.push(
    `${t(report.entityRef)}, generated ${moment(report.generatedAt)}${
      report.asOf ? `, as of ${moment(report.asOf)}` : ''
    }.`,
    '',
  );

  lines.push('## Summary', '');
  const current = report.phases.find(p => p.status === 'current');
  lines.push(
    ...table(
      ['', ''],
      [
        [
          'Phase',
          report.started
            ? `${phaseTitle(report.phase)}, iteration ${report.iteration}`
            : 'Not started',
        ],
        ['Version', String(report.version)],
        [
          'Pioneer team',
          report.pioneerTeamRef ? t(report.pioneerTeamRef) : 'None yet',
        ],
        ['Target date', current?.targetDate ? t(current.targetDate) : 'None'],
        [
          'Adoption',
          `${report.adoption.adoptedTeams} teams; cohort teams: ${report.adoption.cohortTeamsAdopted} of ${report.adoption.cohortTeams} adopted`,
        ],
      ],
    ),
  );

  lines.push('## Blockers', '');
  if (!report.started) {
    lines.push('The initiative has not started.', '');
  } else if (report.blockers.length === 0) {
    lines.push(`Nothing blocks leaving ${phaseTitle(report.phase)}.`, '');
  } else {
    lines.push(...report.blockers.map(b => `- ${t(b.title)}`), '');
  }

  lines.push(`## Phases of iteration ${report.iteration}`, '');
  for (const phase of report.phases) {
    const dates = [
      phase.enteredAt ? `entered ${day(phase.enteredAt)}` : '',
      phase.exitedAt ? `exited ${day(phase.exitedAt)}` : '',
      phase.targetDate ? `target ${t(phase.targetDate)}` : '',
    ].filter(Boolean);
    lines.push(
      `### ${phase.title}: ${phase.status}${
        dates.length ? ` (${dates.join(', ')})` : ''
      }`,
      '',
    );
    if (phase.criteria.length === 0) {
      lines.push('No exit criteria.', '');
      continue;
    }
    lines.push(
      ...table(
        ['Criterion', 'Kind', 'State', 'Who, when', 'Why'],
        phase.criteria.map(c => [
          t(c.title),
          `${c.kind === 'measured' ? 'measured' : 'manual'}, ${
            c.source === 'own' ? 'own' : 'template'
          }`,
          criterionState(c),
          criterionWho(c),
          c.reason ? t(c.reason) : '',
        ]),
      ),
    );
  }

  lines.push('## Waivers', '');
  if (report.waivers.length === 0) {
    lines.push('No waivers.', '');
  } else {
    lines.push(
      ...table(
        ['Phase', 'Criterion', 'Reason', 'Waived by', 'Expires'],
        report.waivers.map(w => [
          phaseTitle(w.phase),
          t(w.title),
          w.reason ? t(w.reason) : '',
          w.waivedBy ? `${t(w.waivedBy)}, ${day(w.waivedAt)}` : '',
          `${day(w.expiresAt)}${w.expired ? ' **expired**' : ''}`,
        ]),
      ),
    );
  }

  lines.push('## Sign-offs', '');
  if (report.signoffs.length === 0) {
    lines.push('No sign-offs are required.', '');
  } else {
    lines.push(
      ...table(
        ['Phase', 'Group', 'State', 'Decided by', 'Comment'],
        report.signoffs.map(s => [
          phaseTitle(s.phase),
          `${t(s.groupRef)}${s.origin === 'requested' ? ' (requested)' : ''}`,
          SIGNOFF_STATES[s.state] ?? t(s.state),
          s.decidedBy ? `${t(s.decidedBy)}, ${moment(s.decidedAt)}` : '',
          s.comment ? t(s.comment) : '',
        ]),
      ),
    );
  }

  lines.push('## Adoption', '');
  lines.push(
    `${report.adoption.adoptedTeams} teams have adopted it; ${report.adoption.cohortTeamsAdopted} of the cohorts' ${report.adoption.cohortTeams} teams.`,
    '',
  );
  for (const cohort of report.adoption.cohorts) {
    lines.push(
      `### Cohort ${cohort.order}: ${t(cohort.name)}, target ${t(
        cohort.targetDate,
      )}: ${cohort.adopted} of ${cohort.total} adopted${percent(
        cohort.adopted,
        cohort.total,
      )}`,
      '',
    );
    if (cohort.teams.length === 0) {
      lines.push('No teams.', '');
      continue;
    }
    lines.push(
      ...table(
        ['Team', 'State', 'Adopted since', 'Lost on'],
        cohort.teams.map(team => [
          t(team.teamRef),
          TEAM_STATES[team.state] ?? t(team.state),
          day(team.adoptedSince),
          day(team.lostAt),
        ]),
      ),
    );
  }
  if (report.adoption.otherAdopters.length > 0) {
    lines.push('### Other adopting teams', '');
    lines.push(
      ...table(
        ['Team', 'Adopted since', 'Through'],
        report.adoption.otherAdopters.map(team => [
          t(team.teamRef),
          day(team.adoptedSince),
          team.via.map(t).join(', '),
        ]),
      ),
    );
  }

  lines.push('## Recent history', '');
  if (report.history.length === 0) {
    lines.push('No changes yet.', '');
  } else {
    lines.push(
      ...table(
        ['Version', 'When', 'Who', 'Change', 'Why'],
        report.history.map(e => [
          String(e.version),
          moment(e.occurredAt),
          t(e.actorRef),
          t(e.summary),
          e.reason ? t(e.reason) : '',
        ]),
      ),
    );
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

/**
 * An initiative's steering report, as JSON and as Markdown built from that
 * JSON: phase, criteria with who/when/why, waivers, sign-offs, adoption per
 * cohort, blockers and the given recent history. Pure.
 */
export function steeringReport(input: {
  state: InitiativeState;
  history: PhaseHistoryEvent[];
  entityTitle?: string;
  generatedAt: Date;
}): { json: SteeringReport; markdown: string } {
  const json = buildReport(input);
  return { json, markdown: renderMarkdown(json) };
}
