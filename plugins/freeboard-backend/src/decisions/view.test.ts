import { mockCredentials } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { FLOAT_OR_SINK_ANNOTATIONS as A } from '@freeboard/backstage-plugin-common';
import { catalogEntity } from '../__testUtils__/readsBackend';
import { AdoptionReader } from '../phases/adoption';
import { CatalogVisibility } from '../shared/visibility';
import { DecisionViewService, replacementRefOf } from './view';

/*
 * The decision view against a fixed clock: the review's due and overdue
 * days at the edges of the UTC day, one batched adoption read for the
 * capability and its replacement, and which `replaced-by` values are refs.
 */

const credentials = mockCredentials.user();

function serviceAt(iso: string) {
  const catalog = catalogServiceMock({
    entities: [
      catalogEntity('Component', 'ci', {
        annotations: {
          [A.decision]: 'float',
          [A.reviewBy]: '2026-11-24',
          [A.replacedBy]: 'Component:Default/Runners',
        },
        relations: [['dependencyOf', 'component:default/app']],
      }),
      catalogEntity('Component', 'runners', {
        relations: [['dependencyOf', 'component:default/moved-app']],
      }),
      catalogEntity('Component', 'app', {
        relations: [['ownedBy', 'group:default/team-a']],
      }),
      catalogEntity('Component', 'moved-app', {
        relations: [['ownedBy', 'group:default/team-b']],
      }),
      catalogEntity('Group', 'team-a'),
      catalogEntity('Group', 'team-b'),
    ],
  });
  const adoption = new AdoptionReader(catalog);
  const adoptersOfMany = jest.spyOn(adoption, 'adoptersOfMany');
  const service = new DecisionViewService({
    visibility: new CatalogVisibility(catalog),
    adoption,
    now: () => new Date(iso),
  });
  return { service, adoptersOfMany };
}

describe('DecisionViewService', () => {
  it('is due on the review-by date and overdue from the day after (UTC)', async () => {
    const due = await serviceAt('2026-11-24T23:59:59.999Z').service.view(
      'component:default/ci',
      credentials,
    );
    expect(due.decision?.review).toEqual({
      reviewBy: '2026-11-24',
      dueInDays: 0,
    });
    const before = await serviceAt('2026-11-20T00:00:00Z').service.view(
      'component:default/ci',
      credentials,
    );
    expect(before.decision?.review).toEqual({
      reviewBy: '2026-11-24',
      dueInDays: 4,
    });
    const overdue = await serviceAt('2026-11-25T00:00:00Z').service.view(
      'component:default/ci',
      credentials,
    );
    expect(overdue.decision?.review).toEqual({
      reviewBy: '2026-11-24',
      dueInDays: -1,
      overdueDays: 1,
    });
    const later = await serviceAt('2027-01-03T12:00:00Z').service.view(
      'component:default/ci',
      credentials,
    );
    expect(later.decision?.review?.overdueDays).toBe(40);
  });

  it('reads the capability and its replacement in one adoption call', async () => {
    const { service, adoptersOfMany } = serviceAt('2026-11-01T00:00:00Z');
    const view = await service.view('component:default/ci', credentials);
    expect(adoptersOfMany).toHaveBeenCalledTimes(1);
    expect(adoptersOfMany.mock.calls[0][0]).toEqual([
      'component:default/ci',
      'component:default/runners',
    ]);
    expect(view).toEqual({
      entityRef: 'component:default/ci',
      problems: [],
      consumerTeams: ['group:default/team-a'],
      decision: {
        decision: 'float',
        reviewBy: '2026-11-24',
        replacedBy: 'Component:Default/Runners',
        review: { reviewBy: '2026-11-24', dueInDays: 23 },
      },
      retirement: {
        remainingTeams: ['group:default/team-a'],
        movedTeams: ['group:default/team-b'],
        replacementRef: 'component:default/runners',
        progress: 0.5,
      },
    });
  });
});

describe('replacementRefOf', () => {
  it('takes only values with a kind for refs', () => {
    expect(replacementRefOf('component:default/runners')).toBe(
      'component:default/runners',
    );
    expect(replacementRefOf(' Component:runners ')).toBe(
      'component:default/runners',
    );
    expect(replacementRefOf('Amazon EKS')).toBeUndefined();
    expect(replacementRefOf('eks')).toBeUndefined();
    expect(replacementRefOf('default/eks')).toBeUndefined();
    expect(replacementRefOf('Vendor: Amazon EKS')).toBeUndefined();
    expect(replacementRefOf('https://aws.amazon.com/eks')).toBeUndefined();
    expect(replacementRefOf(undefined)).toBeUndefined();
  });
});
