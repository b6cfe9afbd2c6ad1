import { GroupRollup } from '@freeboard/backstage-plugin-common';

/** A group in display order, with how deep it sits under its ancestors. */
export interface GroupLine {
  group: GroupRollup;
  depth: number;
}

/**
 * The groups as an indented outline: each parent followed by its children,
 * siblings by ref. A group whose parent is not in the list starts its own
 * tree; a cycle in the catalog's graph cannot loop (each group once).
 */
export function groupOutline(groups: GroupRollup[]): GroupLine[] {
  const byRef = new Map(groups.map(g => [g.groupRef, g]));
  const children = new Map<string, GroupRollup[]>();
  const roots: GroupRollup[] = [];
  for (const group of groups) {
    const parent = group.parentRef;
    if (parent && parent !== group.groupRef && byRef.has(parent)) {
      children.set(parent, [...(children.get(parent) ?? []), group]);
    } else {
      roots.push(group);
    }
  }
  const byRefOrder = (a: GroupRollup, b: GroupRollup) =>
    a.groupRef.localeCompare(b.groupRef);

  const lines: GroupLine[] = [];
  const seen = new Set<string>();
  const visit = (group: GroupRollup, depth: number) => {
    if (seen.has(group.groupRef)) return;
    seen.add(group.groupRef);
    lines.push({ group, depth });
    for (const child of (children.get(group.groupRef) ?? []).sort(byRefOrder)) {
      visit(child, depth + 1);
    }
  };
  roots.sort(byRefOrder).forEach(root => visit(root, 0));
  // Groups only reachable through a cycle have no root: list them flat.
  groups
    .filter(g => !seen.has(g.groupRef))
    .sort(byRefOrder)
    .forEach(g => visit(g, 0));
  return lines;
}
