import { parseFloatOrSinkAnnotations } from './floatOrSink';

describe('parseFloatOrSinkAnnotations', () => {
  it('reads a complete floating decision', () => {
    expect(
      parseFloatOrSinkAnnotations({
        'freeboard.dev/float-or-sink': 'Float',
        'freeboard.dev/base-capability': 'Managed Kubernetes',
        'freeboard.dev/rationale': 'The cloud does it now',
        'freeboard.dev/review-by': '2027-01-15',
        'freeboard.dev/replaced-by': 'Amazon EKS',
      }),
    ).toEqual({
      decision: {
        decision: 'float',
        baseCapability: 'Managed Kubernetes',
        rationale: 'The cloud does it now',
        reviewBy: '2027-01-15',
        replacedBy: 'Amazon EKS',
      },
      problems: [],
    });
  });

  it('yields nothing for an entity without decision annotations', () => {
    expect(parseFloatOrSinkAnnotations({ 'backstage.io/x': 'y' })).toEqual({
      problems: [],
    });
    expect(parseFloatOrSinkAnnotations(undefined)).toEqual({ problems: [] });
  });

  it('names each bad annotation and its value', () => {
    const result = parseFloatOrSinkAnnotations({
      'freeboard.dev/float-or-sink': 'swim',
      'freeboard.dev/review-by': '2027-02-30',
    });
    expect(result.decision).toBeUndefined();
    expect(result.problems).toEqual([
      'freeboard.dev/float-or-sink must be "float" or "sink", got "swim"',
      'freeboard.dev/review-by must be a date in the form YYYY-MM-DD, got "2027-02-30"',
    ]);
  });

  it('rejects replaced-by on a sinking capability and stray annotations', () => {
    expect(
      parseFloatOrSinkAnnotations({
        'freeboard.dev/float-or-sink': 'sink',
        'freeboard.dev/replaced-by': 'Vendor',
      }).problems,
    ).toHaveLength(1);
    expect(
      parseFloatOrSinkAnnotations({ 'freeboard.dev/rationale': 'why' })
        .problems[0],
    ).toContain('set without freeboard.dev/float-or-sink');
  });
});
