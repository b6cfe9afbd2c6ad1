import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  CapabilityDecision,
  DecisionView,
  FloatOrSinkDecision,
  RetirementProgress,
  decisionReviewOf,
  parseCatalogRef,
  parseFloatOrSinkAnnotations,
} from '@freeboard/backstage-plugin-common';
import { AdoptionReader } from '../phases/adoption';
import { CatalogVisibility } from '../shared/visibility';

/**
 * The entity `replaced-by` names, or undefined when it names a vendor
 * product. Only a value with a kind (`component:default/runners`,
 * `component:runners`) can be a ref: "Amazon EKS" or "eks" must never be
 * read as the name of some entity of a default kind. Whether the entity
 * exists, and whether the caller sees it, the catalog answers later.
 */
export function replacementRefOf(replacedBy: string | undefined) {
  if (!replacedBy || !replacedBy.includes(':')) return undefined;
  const parsed = parseCatalogRef(replacedBy.trim());
  return 'ref' in parsed ? parsed.ref : undefined;
}

const ratio = (part: number, whole: number) =>
  whole > 0 ? Math.round((part / whole) * 1e6) / 1e6 : 0;

/**
 * A capability's decision as the float-or-sink card shows it: read from
 * the entity's current annotations, its review status, the teams that
 * depend on it and, when it floats, how far its retirement has come. Teams
 * are read from the catalog with the caller's credentials, so a team the
 * caller cannot see is neither counted nor named.
 */
export class DecisionViewService {
  constructor(
    private readonly options: {
      visibility: CatalogVisibility;
      adoption: AdoptionReader;
      now?: () => Date;
    },
  ) {}

  /** The view of `entityRef`; NotFoundError when the caller cannot see it. */
  async view(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<DecisionView> {
    const entity = await this.options.visibility.entity(entityRef, credentials);
    const { decision, problems } = parseFloatOrSinkAnnotations(
      entity.metadata.annotations,
    );
    const floating = decision?.decision === 'float';
    const candidate = floating
      ? replacementRefOf(decision.replacedBy)
      : undefined;
    const replacement = candidate !== entityRef ? candidate : undefined;

    // One batched read for the capability and its replacement.
    const adopters = await this.options.adoption.adoptersOfMany(
      replacement ? [entityRef, replacement] : [entityRef],
      credentials,
    );
    const consumerTeams = [...(adopters.get(entityRef)?.keys() ?? [])];

    const view: DecisionView = { entityRef, problems, consumerTeams };
    if (decision) view.decision = this.withReview(decision);
    if (floating) {
      view.retirement = this.retirement(
        consumerTeams,
        replacement,
        // Absent when the replacement does not exist or is hidden.
        replacement ? adopters.get(replacement) : undefined,
      );
    }
    return view;
  }

  private withReview(decision: FloatOrSinkDecision): CapabilityDecision {
    const result: CapabilityDecision = { decision: decision.decision };
    if (decision.baseCapability) {
      result.baseCapability = decision.baseCapability;
    }
    if (decision.rationale) result.rationale = decision.rationale;
    if (decision.replacedBy) result.replacedBy = decision.replacedBy;
    if (decision.reviewBy) {
      result.reviewBy = decision.reviewBy;
      const review = decisionReviewOf(
        decision.reviewBy,
        this.options.now?.() ?? new Date(),
      );
      if (review) result.review = review;
    }
    return result;
  }

  /**
   * Teams still on the capability, and teams on the replacement that are
   * no longer on it. A team on both has not moved yet.
   */
  private retirement(
    remainingTeams: string[],
    replacementRef: string | undefined,
    replacementAdopters: Map<string, string[]> | undefined,
  ): RetirementProgress {
    const remaining = new Set(remainingTeams);
    const movedTeams = replacementAdopters
      ? [...replacementAdopters.keys()].filter(team => !remaining.has(team))
      : [];
    return {
      remainingTeams,
      movedTeams,
      ...(replacementAdopters && replacementRef ? { replacementRef } : {}),
      progress: ratio(
        movedTeams.length,
        movedTeams.length + remainingTeams.length,
      ),
    };
  }
}
