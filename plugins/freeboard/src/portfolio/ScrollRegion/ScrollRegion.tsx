import { ReactNode } from 'react';
import { usePortfolioStyles } from '../styles';

/**
 * A region that scrolls sideways when its table is wider than the card.
 * It is focusable and named, so keyboard users can scroll it and screen
 * readers announce it (axe: `scrollable-region-focusable`).
 */
export function ScrollRegion(props: { label: string; children: ReactNode }) {
  const classes = usePortfolioStyles();
  return (
    <div
      className={classes.scroll}
      role="region"
      aria-label={props.label}
      // A scrollable region must be reachable from the keyboard to scroll.
      // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex
      tabIndex={0}
    >
      {props.children}
    </div>
  );
}
