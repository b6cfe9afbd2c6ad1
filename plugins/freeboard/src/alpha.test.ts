import freeboardPlugin from './alpha';

describe('freeboard plugin (new frontend system)', () => {
  it.each([
    'api:freeboard',
    'entity-card:freeboard/float-or-sink',
    'entity-card:freeboard/trust-credits',
    'entity-content:freeboard/trust-credits',
    'entity-card:freeboard/mvp-phase',
    'entity-content:freeboard/phases',
  ] as const)('provides the %s extension', id => {
    expect(freeboardPlugin.getExtension(id)).toBeDefined();
  });
});
