import { trustConfig } from '../__testUtils__/fixtures';
import { categoryTitle, recordableCategories } from './categories';

describe('categories', () => {
  it('leaves pulse categories out of the ones recorded by hand', () => {
    expect(recordableCategories(trustConfig).map(c => c.id)).toEqual([
      'pain-point-removed',
      'self-service',
      'migration',
      'outage',
    ]);
    expect(recordableCategories(trustConfig, 'spend').map(c => c.id)).toEqual([
      'migration',
      'outage',
    ]);
  });

  it('titles a category, or falls back to its id', () => {
    expect(categoryTitle(trustConfig, 'outage')).toBe('Caused an outage');
    expect(categoryTitle(trustConfig, 'retired')).toBe('retired');
  });
});
