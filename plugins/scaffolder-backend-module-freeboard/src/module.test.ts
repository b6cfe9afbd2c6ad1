import { startFakeFreeboard } from './__testUtils__/fakeFreeboard';

describe('scaffolderModuleFreeboard', () => {
  it('adds the three actions, each with dry-run support and examples that use it', async () => {
    const fake = await startFakeFreeboard();
    try {
      expect(fake.actionIds()).toEqual([
        'freeboard:trust:preflight',
        'freeboard:trust:record',
        'freeboard:phases:set-criterion',
      ]);
      for (const id of fake.actionIds()) {
        const action = fake.action(id);
        expect(action.supportsDryRun).toBe(true);
        expect(action.schema?.input).toMatchObject({
          type: 'object',
          required: expect.arrayContaining(['entityRef']),
        });
        expect(action.examples?.length).toBeGreaterThan(0);
        for (const example of action.examples ?? []) {
          expect(example.example).toContain(`action: ${id}\n`);
        }
      }
    } finally {
      await fake.backend.stop();
    }
  });

  it('adds none when freeboard.scaffolder.enabled is false', async () => {
    const fake = await startFakeFreeboard({
      freeboard: { scaffolder: { enabled: false } },
    });
    try {
      expect(fake.actionIds()).toEqual([]);
    } finally {
      await fake.backend.stop();
    }
  });
});
