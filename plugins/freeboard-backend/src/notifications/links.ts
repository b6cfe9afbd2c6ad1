import { parseEntityRef } from '@backstage/catalog-model';

/*
 * Where notifications point: the pages of the Freeboard frontend
 * (plugins/freeboard/src/routes.ts), relative to the app so the
 * notifications frontend resolves them against its own base URL.
 */

/** The entity tab paths of the Freeboard frontend. */
export const TRUST_CREDITS_TAB_PATH = 'trust-credits';
export const PHASES_TAB_PATH = 'phases';

/** The catalog's entity page, e.g. `/catalog/default/component/ci-pipelines`. */
export function entityPageLink(entityRef: string, tab?: string): string {
  const { kind, namespace, name } = parseEntityRef(entityRef);
  const page = `/catalog/${encodeURIComponent(namespace)}/${encodeURIComponent(
    kind.toLocaleLowerCase('en-US'),
  )}/${encodeURIComponent(name)}`;
  return tab ? `${page}/${tab}` : page;
}

/** The entity's name as people read it in a title (the ref without its kind). */
export function entityName(entityRef: string): string {
  const { namespace, name } = parseEntityRef(entityRef);
  return namespace === 'default' ? name : `${namespace}/${name}`;
}
