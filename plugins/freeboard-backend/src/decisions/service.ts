import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { CursorCodec, isSafeId } from '../shared/cursors';
import { CatalogVisibility } from '../shared/visibility';
import { DecisionHistoryPage } from '@freeboard/backstage-plugin-common';
import { DecisionHistoryStore } from './store';

/** Reads of the decision history, for callers who can see the entity. */
export class DecisionHistoryService {
  constructor(
    private readonly options: {
      store: DecisionHistoryStore;
      visibility: CatalogVisibility;
      cursors: CursorCodec;
    },
  ) {}

  /** A page of the entity's events, newest first; 404 if the caller cannot see it. */
  async history(
    entityRef: string,
    query: { limit: number; cursor?: string },
    credentials: BackstageCredentials,
  ): Promise<DecisionHistoryPage> {
    await this.options.visibility.entity(entityRef, credentials);
    // Bound to the entity: one history's cursor does not page another.
    const purpose = `decisions-history:${entityRef}`;
    const beforeId = query.cursor
      ? this.options.cursors.decode(purpose, query.cursor, parts =>
          parts.length === 1 && isSafeId(parts[0]) ? parts[0] : undefined,
        )
      : undefined;
    const events = await this.options.store.listEvents(entityRef, {
      limit: query.limit + 1,
      beforeId,
    });
    const page = events.slice(0, query.limit);
    return {
      items: page.map(event => ({
        id: event.id,
        type: event.type,
        ...(event.field !== undefined ? { field: event.field } : {}),
        ...(event.oldValue !== undefined ? { oldValue: event.oldValue } : {}),
        ...(event.newValue !== undefined ? { newValue: event.newValue } : {}),
        ...(event.problems !== undefined ? { problems: event.problems } : {}),
        observedAt: event.observedAt.toISOString(),
      })),
      ...(events.length > query.limit
        ? {
            nextCursor: this.options.cursors.encode(purpose, [
              page[page.length - 1].id,
            ]),
          }
        : {}),
    };
  }
}
