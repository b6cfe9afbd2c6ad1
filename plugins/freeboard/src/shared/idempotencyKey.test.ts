import { newIdempotencyKey } from './idempotencyKey';

const UUID_SHAPE =
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('newIdempotencyKey', () => {
  it('returns distinct UUID-shaped keys', () => {
    const a = newIdempotencyKey();
    expect(a).toMatch(UUID_SHAPE);
    expect(newIdempotencyKey()).not.toBe(a);
  });

  it('works where randomUUID is missing (plain http)', () => {
    // In an insecure context the method does not exist; shadow it.
    const own = Object.getOwnPropertyDescriptor(crypto, 'randomUUID');
    Object.defineProperty(crypto, 'randomUUID', {
      value: undefined,
      configurable: true,
    });
    try {
      expect(newIdempotencyKey()).toMatch(UUID_SHAPE);
    } finally {
      if (own) {
        Object.defineProperty(crypto, 'randomUUID', own);
      } else {
        Reflect.deleteProperty(crypto, 'randomUUID');
      }
    }
  });
});
