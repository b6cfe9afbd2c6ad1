import { parseEntityRef } from '@backstage/catalog-model';
import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  AddCriterionRequest,
  CohortRequest,
  ConsumerView,
  DecisionHistoryPage,
  DecisionView,
  FREEBOARD_PLUGIN_ID,
  OwnerRollup,
  PortfolioFilters,
  PortfolioPage,
  PortfolioQuery,
  PortfolioSummary,
  ThicknessReport,
  InitiativeState,
  ListTrustEntriesOptions,
  normalizeEntityRef,
  PhaseBlocker,
  PhaseHistoryPage,
  PhasesConfig,
  PhaseTransitionRequest,
  PhaseWriteResult,
  PreflightRequest,
  PreflightResult,
  PulseRequest,
  PulseResult,
  PulseWithdrawal,
  RecordTrustEntryRequest,
  RevertTrustEntryRequest,
  SetCriterionRequest,
  SignoffDecisionRequest,
  SignoffRequest,
  TrustConfig,
  TrustEntriesPage,
  TrustEntryResult,
  TrustLeaderboardOptions,
  TrustLeaderboardPage,
  TrustScoresRequest,
  TrustScoresResponse,
  TrustSummary,
  TrustTrend,
} from '@freeboard/backstage-plugin-common';
import {
  FreeboardApi,
  GetInitiativeOptions,
  ListPhaseHistoryOptions,
  PhaseConflictError,
  PhaseDeleteOptions,
  PhasesReportFormat,
  RecordTrustEntryOptions,
  SetPhaseTargetRequest,
  SetPioneerTeamRequest,
} from './FreeboardApi';
import { newIdempotencyKey } from './idempotencyKey';

const JSON_HEADERS = { 'Content-Type': 'application/json' };

/** `?a=1&b=2` from the defined values, or an empty string. */
function queryString(
  params: Record<string, string | number | undefined>,
): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** The portfolio's filters, sort and page as a query string. */
function portfolioQueryString(query: PortfolioQuery): string {
  return queryString({
    owner: query.owner,
    system: query.system,
    decision: query.decision,
    level: query.level,
    phase: query.phase,
    overdue: query.overdue === undefined ? undefined : String(query.overdue),
    q: query.q,
    sort: query.sort,
    order: query.order,
    limit: query.limit,
    offset: query.offset,
  });
}

/**
 * `:kind/:namespace/:name` of the ref in the form Freeboard stores it (lower
 * case), each part encoded. The backend checks the parts; a string that is
 * not an entity ref at all throws here, so the call rejects before any
 * request.
 */
function entityParts(entityRef: string): string {
  const { kind, namespace, name } = parseEntityRef(
    normalizeEntityRef(parseEntityRef(entityRef)),
  );
  const part = encodeURIComponent;
  return `${part(kind)}/${part(namespace)}/${part(name)}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The PhaseConflictError of a 409 body `{ error, blockers?, currentVersion?,
 * state? }`; undefined when the body is not JSON. The extra fields are also
 * looked for on `error`, where Backstage's error serialisation puts an
 * error's own properties.
 */
async function readPhaseConflict(
  response: Response,
): Promise<PhaseConflictError | undefined> {
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    return undefined;
  }
  if (!isRecord(body)) return undefined;
  const error = isRecord(body.error) ? body.error : {};
  const field = (key: string) => body[key] ?? error[key];
  const blockers = field('blockers');
  const state = field('state');
  const currentVersion = field('currentVersion');
  const message =
    typeof error.message === 'string' && error.message
      ? error.message
      : `Request failed with 409 ${response.statusText}`.trim();
  return new PhaseConflictError(message, {
    blockers: Array.isArray(blockers) ? (blockers as PhaseBlocker[]) : [],
    state:
      isRecord(state) && typeof state.version === 'number'
        ? (state as unknown as InitiativeState)
        : undefined,
    currentVersion:
      typeof currentVersion === 'number' ? currentVersion : undefined,
  });
}

/**
 * Talks to the Freeboard backend through the app's `fetchApi`, which attaches
 * the user's Backstage token; this client never handles credentials itself.
 *
 * @public
 */
export class FreeboardClient implements FreeboardApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;
  /** The trust config changes only when the backend restarts. */
  private configPromise?: Promise<TrustConfig>;
  /** Nor does the phases config. */
  private phasesConfigPromise?: Promise<PhasesConfig>;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  getTrustConfig(): Promise<TrustConfig> {
    if (!this.configPromise) {
      this.configPromise = this.request<TrustConfig>('/trust/config');
      // A failed load must not stick: the next caller tries again.
      this.configPromise.catch(() => {
        this.configPromise = undefined;
      });
    }
    return this.configPromise;
  }

  async getTrustSummary(entityRef: string): Promise<TrustSummary> {
    return this.request(this.entityPath(entityRef));
  }

  async listTrustEntries(
    entityRef: string,
    options: ListTrustEntriesOptions = {},
  ): Promise<TrustEntriesPage> {
    return this.request(
      `${this.entityPath(entityRef)}/entries${queryString({
        limit: options.limit,
        cursor: options.cursor,
        direction: options.direction,
        category: options.category,
        consumerRef: options.consumerRef,
      })}`,
    );
  }

  async recordTrustEntry(
    entityRef: string,
    request: RecordTrustEntryRequest,
    options: RecordTrustEntryOptions = {},
  ): Promise<TrustEntryResult> {
    return this.request(`${this.entityPath(entityRef)}/entries`, {
      method: 'POST',
      headers: {
        ...JSON_HEADERS,
        'Idempotency-Key': options.idempotencyKey ?? newIdempotencyKey(),
      },
      body: JSON.stringify(request),
    });
  }

  async revertTrustEntry(
    entityRef: string,
    entryId: string,
    reason: string,
  ): Promise<TrustEntryResult> {
    return this.request(
      `${this.entityPath(entityRef)}/entries/${encodeURIComponent(
        entryId,
      )}/revert`,
      {
        method: 'POST',
        headers: JSON_HEADERS,
        body: JSON.stringify({ reason } satisfies RevertTrustEntryRequest),
      },
    );
  }

  async runPreflight(
    entityRef: string,
    request: PreflightRequest,
  ): Promise<PreflightResult> {
    return this.request(`${this.entityPath(entityRef)}/preflight`, {
      method: 'POST',
      headers: JSON_HEADERS,
      body: JSON.stringify(request),
    });
  }

  async sendPulse(
    entityRef: string,
    request: PulseRequest,
  ): Promise<PulseResult> {
    return this.request(`${this.entityPath(entityRef)}/pulse`, {
      method: 'PUT',
      headers: JSON_HEADERS,
      body: JSON.stringify(request),
    });
  }

  async withdrawPulse(entityRef: string): Promise<PulseWithdrawal> {
    return this.request(`${this.entityPath(entityRef)}/pulse`, {
      method: 'DELETE',
    });
  }

  async getTrustTrend(entityRef: string, days?: number): Promise<TrustTrend> {
    return this.request(
      `${this.entityPath(entityRef)}/trend${queryString({ days })}`,
    );
  }

  async getTrustScores(entityRefs: string[]): Promise<TrustSummary[]> {
    // The backend refuses an empty list; there is nothing to ask for anyway.
    if (entityRefs.length === 0) return [];
    const { items } = await this.request<TrustScoresResponse>('/trust/scores', {
      method: 'POST',
      headers: JSON_HEADERS,
      body: JSON.stringify({ entityRefs } satisfies TrustScoresRequest),
    });
    return items;
  }

  getTrustLeaderboard(
    options: TrustLeaderboardOptions = {},
  ): Promise<TrustLeaderboardPage> {
    return this.request(
      `/trust/leaderboard${queryString({
        order: options.order,
        limit: options.limit,
        cursor: options.cursor,
      })}`,
    );
  }

  getPhasesConfig(): Promise<PhasesConfig> {
    if (!this.phasesConfigPromise) {
      this.phasesConfigPromise = this.request<PhasesConfig>('/phases/config');
      // A failed load must not stick: the next caller tries again.
      this.phasesConfigPromise.catch(() => {
        this.phasesConfigPromise = undefined;
      });
    }
    return this.phasesConfigPromise;
  }

  async getInitiative(
    entityRef: string,
    options: GetInitiativeOptions = {},
  ): Promise<InitiativeState> {
    return this.request(
      `${this.initiativePath(entityRef)}${queryString({ asOf: options.asOf })}`,
    );
  }

  async startInitiative(entityRef: string): Promise<PhaseWriteResult> {
    return this.phaseWrite(entityRef, 'POST', '/start');
  }

  async transitionInitiative(
    entityRef: string,
    request: PhaseTransitionRequest,
  ): Promise<PhaseWriteResult> {
    return this.phaseWrite(entityRef, 'POST', '/transitions', request);
  }

  async addPhaseCriterion(
    entityRef: string,
    request: AddCriterionRequest,
  ): Promise<PhaseWriteResult> {
    return this.phaseWrite(entityRef, 'POST', '/criteria', request);
  }

  async removePhaseCriterion(
    entityRef: string,
    criterionId: string,
    options: PhaseDeleteOptions = {},
  ): Promise<PhaseWriteResult> {
    return this.phaseWrite(
      entityRef,
      'DELETE',
      `/criteria/${encodeURIComponent(criterionId)}${queryString({
        expectedVersion: options.expectedVersion,
      })}`,
    );
  }

  async setPhaseCriterion(
    entityRef: string,
    criterionId: string,
    request: SetCriterionRequest,
  ): Promise<PhaseWriteResult> {
    return this.phaseWrite(
      entityRef,
      'PUT',
      `/criteria/${encodeURIComponent(criterionId)}`,
      request,
    );
  }

  async requestPhaseSignoff(
    entityRef: string,
    request: SignoffRequest,
  ): Promise<PhaseWriteResult> {
    return this.phaseWrite(entityRef, 'POST', '/signoffs', request);
  }

  async decidePhaseSignoff(
    entityRef: string,
    request: SignoffDecisionRequest,
  ): Promise<PhaseWriteResult> {
    return this.phaseWrite(entityRef, 'PUT', '/signoffs', request);
  }

  async setPioneerTeam(
    entityRef: string,
    request: SetPioneerTeamRequest,
  ): Promise<PhaseWriteResult> {
    return this.phaseWrite(entityRef, 'PUT', '/pioneer', request);
  }

  async setPhaseTarget(
    entityRef: string,
    request: SetPhaseTargetRequest,
  ): Promise<PhaseWriteResult> {
    return this.phaseWrite(entityRef, 'PUT', '/targets', request);
  }

  async addAdoptionCohort(
    entityRef: string,
    request: CohortRequest,
  ): Promise<PhaseWriteResult> {
    return this.phaseWrite(entityRef, 'POST', '/cohorts', request);
  }

  async updateAdoptionCohort(
    entityRef: string,
    cohortId: string,
    request: CohortRequest,
  ): Promise<PhaseWriteResult> {
    return this.phaseWrite(
      entityRef,
      'PUT',
      `/cohorts/${encodeURIComponent(cohortId)}`,
      request,
    );
  }

  async removeAdoptionCohort(
    entityRef: string,
    cohortId: string,
    options: PhaseDeleteOptions = {},
  ): Promise<PhaseWriteResult> {
    return this.phaseWrite(
      entityRef,
      'DELETE',
      `/cohorts/${encodeURIComponent(cohortId)}${queryString({
        expectedVersion: options.expectedVersion,
      })}`,
    );
  }

  async listPhaseHistory(
    entityRef: string,
    options: ListPhaseHistoryOptions = {},
  ): Promise<PhaseHistoryPage> {
    return this.request(
      `${this.initiativePath(entityRef)}/history${queryString({
        limit: options.limit,
        cursor: options.cursor,
      })}`,
    );
  }

  async getPhasesReport(
    entityRef: string,
    format: PhasesReportFormat,
  ): Promise<string> {
    const response = await this.send(
      `${this.initiativePath(entityRef)}/report${queryString({ format })}`,
    );
    return response.text();
  }

  async listDecisionHistory(
    entityRef: string,
    options: { limit?: number; cursor?: string } = {},
  ): Promise<DecisionHistoryPage> {
    return this.request(
      `/decisions/entities/${entityParts(entityRef)}/history${queryString({
        limit: options.limit,
        cursor: options.cursor,
      })}`,
    );
  }

  async getDecision(entityRef: string): Promise<DecisionView> {
    return this.request(`/decisions/entities/${entityParts(entityRef)}`);
  }

  async getPortfolio(query: PortfolioQuery = {}): Promise<PortfolioPage> {
    return this.request(`/portfolio${portfolioQueryString(query)}`);
  }

  async exportPortfolioCsv(
    filters: PortfolioFilters & Pick<PortfolioQuery, 'sort' | 'order'> = {},
  ): Promise<string> {
    const response = await this.send(
      `/portfolio/export.csv${portfolioQueryString(filters)}`,
    );
    return response.text();
  }

  async getPortfolioSummary(): Promise<PortfolioSummary> {
    return this.request('/portfolio/summary');
  }

  async getOwnerRollup(groupRef: string): Promise<OwnerRollup> {
    return this.request(`/portfolio/owners/${entityParts(groupRef)}`);
  }

  async getThickness(
    options: { systemRef?: string; days?: number } = {},
  ): Promise<ThicknessReport> {
    return this.request(
      `/thickness${queryString({
        system: options.systemRef,
        days: options.days,
      })}`,
    );
  }

  async getConsumerView(entityRef: string): Promise<ConsumerView> {
    return this.request(`/consumers/${entityParts(entityRef)}/balances`);
  }

  /** `/trust/entities/:kind/:namespace/:name` of the ref. */
  private entityPath(entityRef: string): string {
    return `/trust/entities/${entityParts(entityRef)}`;
  }

  /** `/phases/entities/:kind/:namespace/:name`, addressed like the trust routes. */
  private initiativePath(entityRef: string): string {
    return `/phases/entities/${entityParts(entityRef)}`;
  }

  /**
   * A write to the initiative: JSON in, `{ state }` out. A 409 becomes a
   * PhaseConflictError carrying the blockers or the current version, and the
   * state the backend sent along.
   */
  private async phaseWrite(
    entityRef: string,
    method: 'POST' | 'PUT' | 'DELETE',
    subPath: string,
    body?: object,
  ): Promise<PhaseWriteResult> {
    const path = `${this.initiativePath(entityRef)}${subPath}`;
    const init: RequestInit =
      body === undefined
        ? { method }
        : { method, headers: JSON_HEADERS, body: JSON.stringify(body) };
    const response = await this.send(path, init, readPhaseConflict);
    return (await response.json()) as PhaseWriteResult;
  }

  private async request<T>(path: string, init?: RequestInit): Promise<T> {
    const response = await this.send(path, init);
    return (await response.json()) as T;
  }

  /** Fetches; a failed response rejects (with `onConflict`'s error for a 409). */
  private async send(
    path: string,
    init?: RequestInit,
    onConflict?: (response: Response) => Promise<Error | undefined>,
  ): Promise<Response> {
    const baseUrl = await this.discoveryApi.getBaseUrl(FREEBOARD_PLUGIN_ID);
    const response = await this.fetchApi.fetch(`${baseUrl}${path}`, init);
    if (response.ok) return response;
    if (response.status === 409 && onConflict) {
      const conflict = await onConflict(response.clone());
      if (conflict) throw conflict;
    }
    throw await ResponseError.fromResponse(response);
  }
}
