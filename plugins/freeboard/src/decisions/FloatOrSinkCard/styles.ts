import { makeStyles } from '@material-ui/core/styles';

export const useDecisionCardStyles = makeStyles(theme => ({
  label: {
    color: theme.palette.text.secondary,
    textTransform: 'uppercase',
    fontSize: '0.7rem',
    fontWeight: 'bold',
    letterSpacing: '0.05em',
    marginTop: theme.spacing(1.5),
  },
  inlineList: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(0.5, 1.5),
    listStyle: 'none',
    margin: 0,
    padding: 0,
  },
}));
