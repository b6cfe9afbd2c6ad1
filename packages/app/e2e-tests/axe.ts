import { Locator, Page } from '@playwright/test';

/**
 * WCAG 2 A and AA violations inside `scope`, found by axe-core in the page.
 * Scoped to Freeboard's own cards and tabs: Backstage's chrome is not ours
 * to judge here.
 */
export async function axeViolations(page: Page, scope: Locator) {
  await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
  return scope.evaluate(async element => {
    const result = await (window as any).axe.run(element, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] },
    });
    return result.violations.map((v: any) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n: any) => n.target.join(' ')).slice(0, 5),
    }));
  });
}

/** The InfoCard whose header reads `title`. */
export function cardTitled(page: Page, title: string): Locator {
  return page.locator('.MuiCard-root').filter({
    has: page.locator('.MuiCardHeader-root', { hasText: title }),
  });
}
