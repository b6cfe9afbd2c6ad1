import { expect, test } from '@playwright/test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { BACKEND, signedInToken } from './support';

/*
 * An AI assistant's view of Freeboard: the official MCP TypeScript SDK
 * client, over Streamable HTTP, against the MCP actions backend of the
 * running demo, signed in as the guest. It lists Freeboard's tools with
 * their schemas, reads the seeded trust history of a capability, and tries
 * a write the demo policy refuses (the guest does not own the Payments
 * team's service and is not a platform lead), which writes nothing.
 */

const MCP = `${BACKEND}/api/mcp-actions/v1`;
const CAPABILITY = 'component:default/ci-pipelines';
/** Owned by the payments team: the demo policy refuses the guest a record here. */
const NOT_OWNED = 'component:default/payments-api';

const FREEBOARD_TOOLS = [
  'freeboard.get-trust-summary',
  'freeboard.preflight-trust-spend',
  'freeboard.record-trust-entry',
  'freeboard.get-initiative-status',
  'freeboard.list-overdue-reviews',
  'freeboard.list-portfolio',
];

type ToolResult = {
  isError?: boolean;
  content: Array<{ type: string; text?: string }>;
  structuredContent?: any;
};

async function connect(token: string): Promise<Client> {
  const client = new Client({ name: 'freeboard-e2e', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(MCP), {
      requestInit: { headers: { authorization: `Bearer ${token}` } },
    }),
  );
  return client;
}

async function call(client: Client, name: string, args: object) {
  return (await client.callTool({
    name,
    arguments: args as Record<string, unknown>,
  })) as ToolResult;
}

test.describe('Freeboard over MCP', () => {
  let client: Client;

  test.beforeAll(async () => {
    client = await connect(await signedInToken());
  });

  test.afterAll(async () => {
    await client?.close();
  });

  test('lists Freeboard tools with their schemas and hints', async () => {
    const { tools } = await client.listTools();
    const byName = new Map(tools.map(t => [t.name, t]));
    for (const name of FREEBOARD_TOOLS) {
      const tool = byName.get(name);
      expect(tool, `${name} is listed`).toBeDefined();
      expect(tool!.description!.length).toBeGreaterThan(40);
      expect(tool!.inputSchema.type).toBe('object');
    }
    const record = byName.get('freeboard.record-trust-entry')!;
    expect(record.inputSchema.required).toEqual(
      expect.arrayContaining(['entityRef', 'category', 'amount', 'title']),
    );
    expect(record.annotations).toEqual(
      expect.objectContaining({ readOnlyHint: false, destructiveHint: false }),
    );
    expect(
      byName.get('freeboard.get-trust-summary')!.annotations?.readOnlyHint,
    ).toBe(true);
  });

  test('reads the trust summary and the portfolio of the demo', async () => {
    // On a fresh database the seed writes the ledger after start-up.
    await expect
      .poll(
        async () =>
          (
            await call(client, 'freeboard.get-trust-summary', {
              entityRef: CAPABILITY,
            })
          ).structuredContent?.summary?.entryCount ?? 0,
        { timeout: 180_000 },
      )
      .toBeGreaterThan(0);
    const summary = await call(client, 'freeboard.get-trust-summary', {
      entityRef: CAPABILITY,
    });
    expect(summary.isError ?? false).toBe(false);
    expect(summary.structuredContent.summary).toEqual(
      expect.objectContaining({
        entityRef: CAPABILITY,
        level: expect.stringMatching(/^(overdrawn|thin|healthy|strong)$/),
        balance: expect.any(Number),
      }),
    );
    expect(summary.structuredContent.summary.consumerCount).toBeGreaterThan(0);

    const portfolio = await call(client, 'freeboard.list-portfolio', {
      limit: 5,
    });
    expect(portfolio.isError ?? false).toBe(false);
    expect(portfolio.structuredContent.total).toBeGreaterThan(5);
    expect(portfolio.structuredContent.capabilities).toHaveLength(5);
    expect(portfolio.structuredContent.capabilities[0]).toEqual(
      expect.objectContaining({
        entityRef: expect.stringMatching(/^component:default\//),
        level: expect.any(String),
      }),
    );

    const bad = await call(client, 'freeboard.get-trust-summary', {
      entityRef: 'not a ref',
    });
    expect(bad.isError).toBe(true);
    expect(bad.content[0].text).toMatch(/^InputError: entityRef: /);
  });

  test('refuses a write the demo policy denies, and writes nothing', async () => {
    const before = await call(client, 'freeboard.get-trust-summary', {
      entityRef: NOT_OWNED,
    });
    expect(before.isError ?? false).toBe(false);

    const refused = await call(client, 'freeboard.record-trust-entry', {
      entityRef: NOT_OWNED,
      category: 'migration',
      amount: 5,
      title: 'An assistant tries to record on a team it does not own',
    });
    expect(refused.isError).toBe(true);
    expect(refused.content[0].text).toMatch(/^NotAllowedError: /);

    const after = await call(client, 'freeboard.get-trust-summary', {
      entityRef: NOT_OWNED,
    });
    expect(after.structuredContent.summary.entryCount).toBe(
      before.structuredContent.summary.entryCount,
    );
    // Balances fade with time: equal to the cent between two reads.
    expect(after.structuredContent.summary.balance).toBeCloseTo(
      before.structuredContent.summary.balance,
      2,
    );
  });
});
