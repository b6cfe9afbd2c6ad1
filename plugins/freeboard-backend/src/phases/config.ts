import { Config } from '@backstage/config';
import {
  CriterionMeasure,
  MVP_PHASES,
  MvpPhase,
  PhaseCriterionTemplate,
  PhasesConfig,
  TRUST_LEVELS,
  TrustLevel,
  parseCatalogRef,
} from '@freeboard/backstage-plugin-common';

/** The template criteria every initiative starts with, from the MVP seed. */
export const DEFAULT_PHASE_TEMPLATES: Record<
  MvpPhase,
  PhaseCriterionTemplate[]
> = {
  discovery: [
    { id: 'technical-outcomes', title: 'Technical outcomes agreed' },
    { id: 'golden-paths', title: 'Golden paths chosen' },
    {
      id: 'pioneer-selected',
      title: 'Pioneer team selected',
      measure: { type: 'pioneer-selected' },
    },
    { id: 'project-management', title: 'Project management aligned' },
    {
      id: 'production-out-of-scope',
      title: 'Production environments confirmed out of scope for the MVP',
    },
    { id: 'stakeholders-engaged', title: 'Stakeholders engaged' },
  ],
  integration: [
    { id: 'infrastructure-built', title: 'Platform infrastructure built' },
    { id: 'components-connected', title: 'Components connected' },
  ],
  deployment: [
    {
      id: 'representative-apps',
      title: 'Representative applications deployed',
    },
    {
      id: 'end-to-end-tested',
      title: 'End-to-end flows tested with the pioneer team',
    },
    {
      id: 'pioneer-adopted',
      title: 'Pioneer team adopted it',
      description:
        'Measured: a component owned by the pioneer team depends on the entity or consumes one of its APIs.',
      measure: { type: 'pioneer-adopted' },
    },
  ],
  adoption: [
    { id: 'objectives', title: 'Objectives defined' },
    { id: 'cohorts-prioritized', title: 'Cohorts prioritized' },
    {
      id: 'cohort-requirements',
      title: 'Cohort requirements discovered',
    },
    { id: 'communication-plan', title: 'Communication plan published' },
    { id: 'demo-engineers', title: 'Demo given to engineers' },
    { id: 'demo-leadership', title: 'Demo given to leadership' },
    {
      id: 'first-cohort-onboarded',
      title: 'First cohort onboarded',
      description: 'Measured: at least 80% of the first cohort has adopted it.',
      measure: { type: 'cohort-adopted', cohort: 1, percent: 80 },
    },
  ],
};

/** Sign-offs every initiative needs, per phase, by default. */
export const DEFAULT_PHASE_SIGNOFFS: Record<MvpPhase, string[]> = {
  discovery: [
    'group:default/security',
    'group:default/data-governance',
    'group:default/finance',
  ],
  integration: [],
  deployment: [],
  adoption: [],
};

const ID = /^[a-z0-9][a-z0-9-]{0,63}$/;

function readMeasure(config: Config, key: string): CriterionMeasure {
  const type = config.getString('type');
  switch (type) {
    case 'pioneer-selected':
    case 'pioneer-adopted':
    case 'float-or-sink-decided':
      return { type };
    case 'cohort-adopted': {
      const cohort = config.getOptionalNumber('cohort') ?? 1;
      const percent = config.getOptionalNumber('percent') ?? 80;
      if (!Number.isInteger(cohort) || cohort < 1 || cohort > 20) {
        throw new Error(`${key}.cohort must be a whole number from 1 to 20`);
      }
      if (!(percent > 0 && percent <= 100)) {
        throw new Error(`${key}.percent must be above 0 and at most 100`);
      }
      return { type, cohort, percent };
    }
    case 'trust-level': {
      const level = config.getString('level') as TrustLevel;
      if (!TRUST_LEVELS.includes(level)) {
        throw new Error(
          `${key}.level must be one of ${TRUST_LEVELS.join(', ')}`,
        );
      }
      return { type, level };
    }
    default:
      throw new Error(
        `${key}.type must be pioneer-selected, pioneer-adopted, cohort-adopted, trust-level or float-or-sink-decided`,
      );
  }
}

function readTemplates(
  config: Config,
): Record<MvpPhase, PhaseCriterionTemplate[]> {
  const templates = config.getOptionalConfig('freeboard.phases.templates');
  if (!templates) return DEFAULT_PHASE_TEMPLATES;
  const result = {} as Record<MvpPhase, PhaseCriterionTemplate[]>;
  for (const phase of MVP_PHASES) {
    const items = templates.getOptionalConfigArray(phase);
    if (!items) {
      result[phase] = DEFAULT_PHASE_TEMPLATES[phase];
      continue;
    }
    const seen = new Set<string>();
    result[phase] = items.map((item, i) => {
      const key = `freeboard.phases.templates.${phase}[${i}]`;
      const id = item.getString('id');
      if (!ID.test(id) || seen.has(id)) {
        throw new Error(
          `${key}.id must be unique in its phase: 1 to 64 lower-case letters, digits and dashes`,
        );
      }
      seen.add(id);
      const title = item.getString('title').trim();
      if (!title || title.length > 200) {
        throw new Error(`${key}.title must be 1 to 200 characters`);
      }
      const description = item.getOptionalString('description');
      return {
        id,
        title,
        ...(description ? { description } : {}),
        ...(item.has('measure')
          ? {
              measure: readMeasure(item.getConfig('measure'), `${key}.measure`),
            }
          : {}),
      };
    });
  }
  return result;
}

function readSignoffs(config: Config): Record<MvpPhase, string[]> {
  const signoffs = config.getOptionalConfig('freeboard.phases.signoffs');
  if (!signoffs) return DEFAULT_PHASE_SIGNOFFS;
  const result = {} as Record<MvpPhase, string[]>;
  for (const phase of MVP_PHASES) {
    const refs = signoffs.getOptionalStringArray(phase) ?? [];
    result[phase] = [
      ...new Set(
        refs.map(ref => {
          const parsed = parseCatalogRef(ref);
          if ('problem' in parsed || !parsed.ref.startsWith('group:')) {
            throw new Error(
              `freeboard.phases.signoffs.${phase} must hold group entity refs; "${ref}" is not one`,
            );
          }
          return parsed.ref;
        }),
      ),
    ];
  }
  return result;
}

/** Reads and checks `freeboard.phases`; a bad value stops start-up. */
export function readPhasesConfig(config: Config): PhasesConfig {
  const waiverDefaultDays =
    config.getOptionalNumber('freeboard.phases.waiverDefaultDays') ?? 90;
  const waiverMaxDays =
    config.getOptionalNumber('freeboard.phases.waiverMaxDays') ?? 365;
  if (
    !Number.isInteger(waiverMaxDays) ||
    waiverMaxDays < 1 ||
    waiverMaxDays > 3650
  ) {
    throw new Error(
      'freeboard.phases.waiverMaxDays must be a whole number from 1 to 3650',
    );
  }
  if (
    !Number.isInteger(waiverDefaultDays) ||
    waiverDefaultDays < 1 ||
    waiverDefaultDays > waiverMaxDays
  ) {
    throw new Error(
      'freeboard.phases.waiverDefaultDays must be a whole number from 1 to waiverMaxDays',
    );
  }
  const templates = readTemplates(config);
  return {
    templates,
    signoffs: readSignoffs(config),
    waiverDefaultDays,
    waiverMaxDays,
  };
}
