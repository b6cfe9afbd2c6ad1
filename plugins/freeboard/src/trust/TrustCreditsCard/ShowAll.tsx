import Button from '@material-ui/core/Button';
import { useState } from 'react';

/**
 * The first `limit` items, and a toggle that shows them all. The toggle
 * says how many there are and whether the list is expanded.
 */
export function useShowAll<T>(items: T[], limit: number) {
  const [all, setAll] = useState(false);
  const shown = all ? items : items.slice(0, limit);
  const toggle =
    items.length > limit ? (
      <Button
        size="small"
        color="primary"
        aria-expanded={all}
        onClick={() => setAll(!all)}
      >
        {all ? 'Show fewer' : `Show all ${items.length}`}
      </Button>
    ) : null;
  return { shown, toggle };
}
