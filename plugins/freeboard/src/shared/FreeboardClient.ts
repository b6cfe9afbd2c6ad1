import { parseEntityRef } from '@backstage/catalog-model';
import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  FREEBOARD_PLUGIN_ID,
  ListTrustEntriesOptions,
  normalizeEntityRef,
  PreflightRequest,
  PreflightResult,
  PulseRequest,
  PulseResult,
  PulseWithdrawal,
  RecordTrustEntryRequest,
  RevertTrustEntryRequest,
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
import { FreeboardApi, RecordTrustEntryOptions } from './FreeboardApi';
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

  /**
   * `/trust/entities/:kind/:namespace/:name` of the ref in the form Freeboard
   * stores it (lower case), each part encoded. The backend checks the parts;
   * a string that is not an entity ref at all throws here, so the call
   * rejects before any request.
   */
  private entityPath(entityRef: string): string {
    const { kind, namespace, name } = parseEntityRef(
      normalizeEntityRef(parseEntityRef(entityRef)),
    );
    const part = encodeURIComponent;
    return `/trust/entities/${part(kind)}/${part(namespace)}/${part(name)}`;
  }

  private async request<T>(path: string, init?: RequestInit): Promise<T> {
    const baseUrl = await this.discoveryApi.getBaseUrl(FREEBOARD_PLUGIN_ID);
    const response = await this.fetchApi.fetch(`${baseUrl}${path}`, init);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}
