import { makeStyles } from '@material-ui/core/styles';

/** Styles the card and the tab share. */
export const usePhaseStyles = makeStyles(theme => ({
  /** A small heading over a section of a card (an `h3`). */
  label: {
    color: theme.palette.text.secondary,
    textTransform: 'uppercase',
    fontSize: '0.7rem',
    fontWeight: 'bold',
    letterSpacing: '0.05em',
    marginTop: theme.spacing(1.5),
    marginBottom: theme.spacing(0.5),
  },
  /** Icon and words on one line. */
  inline: {
    display: 'inline-flex',
    alignItems: 'center',
    gap: theme.spacing(0.5),
  },
  row: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(1),
  },
  okIcon: { color: theme.palette.success.main },
  blockedIcon: { color: theme.palette.error.main },
  warningIcon: { color: theme.palette.warning.main },
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
