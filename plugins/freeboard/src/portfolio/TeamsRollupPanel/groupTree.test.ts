import { GroupRollup } from '@freeboard/backstage-plugin-common';
import { groupOutline } from './groupTree';

function group(groupRef: string, parentRef?: string): GroupRollup {
  return {
    groupRef,
    parentRef,
    capabilities: 1,
    balance: 0,
    overdue: 0,
    floating: 0,
  };
}

describe('groupOutline', () => {
  it('puts children under their parents, two levels deep, siblings by ref', () => {
    const lines = groupOutline([
      group('group:default/z-team'),
      group('group:default/leaf', 'group:default/infra'),
      group('group:default/infra', 'group:default/platform'),
      group('group:default/apps', 'group:default/platform'),
      group('group:default/platform'),
    ]);
    expect(lines.map(l => [l.group.groupRef, l.depth])).toEqual([
      ['group:default/platform', 0],
      ['group:default/apps', 1],
      ['group:default/infra', 1],
      ['group:default/leaf', 2],
      ['group:default/z-team', 0],
    ]);
  });

  it('starts a tree at a group whose parent is not listed', () => {
    const lines = groupOutline([
      group('group:default/a', 'group:default/hidden'),
    ]);
    expect(lines).toEqual([{ group: expect.anything(), depth: 0 }]);
  });

  it('lists each group once, even in a cycle', () => {
    const lines = groupOutline([
      group('group:default/a', 'group:default/b'),
      group('group:default/b', 'group:default/a'),
    ]);
    expect(lines.map(l => l.group.groupRef)).toEqual([
      'group:default/a',
      'group:default/b',
    ]);
  });
});
