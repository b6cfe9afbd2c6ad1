import {
  darken,
  getContrastRatio,
  lighten,
  makeStyles,
  Theme,
} from '@material-ui/core/styles';

/** WCAG 2 AA for normal text. */
const AA_CONTRAST = 4.5;

/**
 * An error colour that reads as text on the cards' background with at least
 * WCAG AA contrast. The MUI default (`#f44336`) is 3.7:1 on white and less
 * on a dark paper, so it is darkened (light themes) or lightened (dark
 * themes) until it passes; the text colour is the last resort.
 */
export function readableErrorColor(theme: Theme): string {
  const background = theme.palette.background.paper;
  const { main, dark, light } = theme.palette.error;
  const candidates =
    theme.palette.type === 'dark' ? [main, light] : [main, dark];
  const adjust = theme.palette.type === 'dark' ? lighten : darken;
  for (let step = 1; step <= 6; step++) {
    candidates.push(adjust(main, step / 10));
  }
  return (
    candidates.find(c => getContrastRatio(c, background) >= AA_CONTRAST) ??
    theme.palette.text.primary
  );
}

/** Styles the portfolio's table and panels share. */
export const usePortfolioStyles = makeStyles(theme => ({
  /** Overdue reviews and negative balances: a colour and always a word. */
  alert: {
    color: readableErrorColor(theme),
    fontWeight: 'bold',
  },
  /** Icon and words on one line. */
  inline: {
    display: 'inline-flex',
    alignItems: 'center',
    gap: theme.spacing(0.5),
  },
  nowrap: { whiteSpace: 'nowrap' },
  numeric: { fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' },
  /** A small heading over a section of a panel. */
  label: {
    color: theme.palette.text.secondary,
    textTransform: 'uppercase',
    fontSize: '0.7rem',
    fontWeight: 'bold',
    letterSpacing: '0.05em',
    marginTop: theme.spacing(1.5),
    marginBottom: theme.spacing(0.5),
  },
  /**
   * A table that scrolls sideways when it does not fit; focusable, so it
   * scrolls from the keyboard too.
   */
  scroll: {
    overflowX: 'auto',
    '&:focus-visible': {
      outline: `2px solid ${theme.palette.primary.main}`,
      outlineOffset: 2,
    },
  },
  /**
   * Dense tables. Backstage's theme breaks cell text anywhere
   * (`word-break: break-word`), which lets a narrow column shrink to a
   * letter per line; here words stay whole, headers stay on one line, and a
   * table too wide for its card scrolls instead.
   */
  table: {
    '& th, & td': {
      wordBreak: 'normal',
      padding: theme.spacing(1, 1.5),
    },
    '& thead th': { whiteSpace: 'nowrap' },
  },
  /**
   * A column of running text: wraps between words, keeps a few per line,
   * and spaces its lines (the theme sets table cells' line height to 1).
   */
  prose: { minWidth: '16em', lineHeight: 1.43 },
  /** Headers that may wrap between words, for the narrow numeric columns. */
  wrappingHeader: {
    '&&': { whiteSpace: 'normal' },
  },
  // Named for screen readers, invisible on screen.
  visuallyHidden: {
    position: 'absolute',
    width: 1,
    height: 1,
    overflow: 'hidden',
    clip: 'rect(0 0 0 0)',
    whiteSpace: 'nowrap',
  },
}));
