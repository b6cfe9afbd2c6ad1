import {
  exportRequestOf,
  isFiltered,
  pageRequestOf,
  parsePortfolioView,
  portfolioViewParams,
  toFilterRef,
} from './query';

const parse = (search: string) =>
  parsePortfolioView(new URLSearchParams(search));

describe('portfolio view in the URL', () => {
  it('defaults to the first 50 rows, needs-attention first, unfiltered', () => {
    const view = parse('');
    expect(pageRequestOf(view)).toEqual({
      sort: 'attention',
      limit: 50,
      offset: 0,
    });
    expect(isFiltered(view)).toBe(false);
    expect(portfolioViewParams(view).toString()).toBe('');
  });

  it('reads every filter, the sort and the page', () => {
    const view = parse(
      'owner=Group:Default/Team-A&system=observability&decision=float&level=thin' +
        '&phase=none&overdue=true&q=%20kube%20&sort=consumers&order=asc&limit=25&offset=75',
    );
    expect(pageRequestOf(view)).toEqual({
      owner: 'group:default/team-a',
      system: 'system:default/observability',
      decision: 'float',
      level: 'thin',
      phase: 'none',
      overdue: true,
      q: 'kube',
      sort: 'consumers',
      order: 'asc',
      limit: 25,
      offset: 75,
    });
    expect(isFiltered(view)).toBe(true);
  });

  it('drops what is not a valid value instead of sending it', () => {
    const view = parse(
      'owner=not%20a%20ref!&decision=maybe&level=great&phase=launch&overdue=yes' +
        '&sort=random&order=up&limit=7&offset=-3',
    );
    expect(pageRequestOf(view)).toEqual({
      sort: 'attention',
      limit: 50,
      offset: 0,
    });
  });

  it('starts pages at multiples of the page size', () => {
    expect(parse('offset=120').offset).toBe(100);
    expect(parse('limit=25&offset=60').offset).toBe(50);
    expect(parse('offset=99999999999').offset).toBe(0);
  });

  it('sorts a column in its first order when the URL names none', () => {
    expect(parse('sort=title').order).toBe('asc');
    expect(parse('sort=consumers').order).toBe('desc');
    // The attention order has no direction.
    expect(parse('sort=attention&order=desc').order).toBeUndefined();
  });

  it('writes a view back to the same query string', () => {
    const search =
      'q=kube&owner=group%3Adefault%2Fteam-a&decision=sink&overdue=true&sort=title&order=desc&limit=100&offset=200';
    expect(portfolioViewParams(parse(search)).toString()).toBe(search);
  });

  it('exports the filters and the sort, without the page', () => {
    expect(
      exportRequestOf(parse('decision=float&sort=title&order=desc&offset=50')),
    ).toEqual({ decision: 'float', sort: 'title', order: 'desc' });
  });
});

describe('toFilterRef', () => {
  it.each([
    ['team-a', 'group', 'group:default/team-a'],
    ['Group:Platform/Team-A', 'group', 'group:platform/team-a'],
    [' observability ', 'system', 'system:default/observability'],
  ])('reads %j as a %s ref', (text, kind, ref) => {
    expect(toFilterRef(text, kind)).toBe(ref);
  });

  it.each(['', '   ', 'two words', 'group:default/', 'a:b:c/d/e'])(
    'rejects %j',
    text => {
      expect(toFilterRef(text, 'group')).toBeUndefined();
    },
  );
});
