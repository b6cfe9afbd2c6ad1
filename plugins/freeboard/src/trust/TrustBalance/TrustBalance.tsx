import { TrustSummary } from '@freeboard/backstage-plugin-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { formatCredits } from '../format';
import { TrustLevelChip } from '../TrustChips';

const useStyles = makeStyles(theme => ({
  label: {
    color: theme.palette.text.secondary,
    textTransform: 'uppercase',
    fontSize: '0.7rem',
    fontWeight: 'bold',
    letterSpacing: '0.05em',
  },
  balance: {
    fontWeight: 'bold',
    lineHeight: 1,
    fontVariantNumeric: 'tabular-nums',
  },
}));

/**
 * The balance, its level, and the earned and spent totals behind it. The
 * number carries `aria-label="Trust balance"` so tests and assistive
 * technology can find it; its text is the number alone.
 */
export function TrustBalance(props: { summary: TrustSummary }) {
  const { summary } = props;
  const classes = useStyles();
  return (
    <Box>
      <Typography className={classes.label} component="p">
        Balance
      </Typography>
      <Box display="flex" alignItems="center" style={{ gap: 12 }}>
        <Typography
          variant="h3"
          component="span"
          className={classes.balance}
          aria-label="Trust balance"
        >
          {formatCredits(summary.balance)}
        </Typography>
        <TrustLevelChip level={summary.level} size="medium" />
      </Box>
      <Typography variant="body2" color="textSecondary">
        Earned {formatCredits(summary.earned)} · Spent{' '}
        {formatCredits(summary.spent)}
      </Typography>
    </Box>
  );
}
