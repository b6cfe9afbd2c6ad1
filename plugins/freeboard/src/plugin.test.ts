import { freeboardApiRef } from './api';
import { freeboardPlugin } from './plugin';

describe('freeboardPlugin (legacy frontend system)', () => {
  it('registers the Freeboard API and the trust-credits route', () => {
    expect(freeboardPlugin.getId()).toBe('freeboard');
    const apis = Array.from(freeboardPlugin.getApis());
    expect(apis.map(factory => factory.api.id)).toEqual([freeboardApiRef.id]);
    expect(freeboardPlugin.routes.trustCredits).toBeDefined();
  });
});
