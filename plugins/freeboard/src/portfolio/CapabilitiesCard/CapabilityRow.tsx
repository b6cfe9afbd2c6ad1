import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { PortfolioRow } from '@freeboard/backstage-plugin-common';
import Box from '@material-ui/core/Box';
import TableCell from '@material-ui/core/TableCell';
import TableRow from '@material-ui/core/TableRow';
import { makeStyles } from '@material-ui/core/styles';
import Typography from '@material-ui/core/Typography';
import ErrorOutlineIcon from '@material-ui/icons/ErrorOutline';
import ReportProblemOutlinedIcon from '@material-ui/icons/ReportProblemOutlined';
import { formatDay, phaseLabel } from '../../phases/format';
import { formatCredits } from '../../trust/format';
import { TrustLevelChip } from '../../trust/TrustChips';
import { decisionLabel, describeReview, describeWeeklyTrend } from '../format';
import { Sparkline } from '../Sparkline';
import { usePortfolioStyles } from '../styles';

const useRowStyles = makeStyles({
  /** Room for a capability's name on one or two lines, never one word each. */
  capability: { minWidth: 180 },
});

function Missing(props: { children: string }) {
  return (
    <Typography variant="body2" color="textSecondary" component="span">
      {props.children}
    </Typography>
  );
}

/** Balance, level in words, and the weekly trend as a sparkline. */
function TrustCell(props: { trust: PortfolioRow['trust'] }) {
  const { trust } = props;
  const classes = usePortfolioStyles();
  return (
    <Box display="flex" alignItems="center" style={{ gap: 8 }}>
      <Typography variant="body2" className={classes.numeric}>
        {formatCredits(trust.balance)}
      </Typography>
      <TrustLevelChip level={trust.level} />
      <Sparkline
        values={trust.trend}
        label={describeWeeklyTrend(trust.trend)}
        width={64}
        height={20}
      />
    </Box>
  );
}

/** `Integration · 3/5`, read out as "3/5 exit criteria done". */
function PhaseCell(props: { phase: PortfolioRow['phase'] }) {
  const classes = usePortfolioStyles();
  if (!props.phase) return <Missing>No initiative</Missing>;
  const { phase, criteriaDone, criteriaTotal } = props.phase;
  return (
    <span className={classes.nowrap}>
      {phaseLabel(phase)} · {criteriaDone}/{criteriaTotal}
      <span className={classes.visuallyHidden}> exit criteria done</span>
    </span>
  );
}

/** Float or sink, the review date and whether the review is overdue. */
function DecisionCell(props: { row: PortfolioRow }) {
  const { decision, decisionProblems } = props.row;
  const classes = usePortfolioStyles();
  if (decisionProblems && decisionProblems.length > 0) {
    return (
      <>
        <span className={`${classes.inline} ${classes.alert}`}>
          <ReportProblemOutlinedIcon fontSize="small" />
          Invalid annotations
        </span>
        <Typography
          variant="caption"
          color="textSecondary"
          component="p"
          title={decisionProblems.join('\n')}
        >
          {decisionProblems[0]}
        </Typography>
      </>
    );
  }
  if (!decision) return <Missing>No decision</Missing>;
  const review = decision.review;
  return (
    <>
      <Typography variant="body2">
        {decisionLabel(decision.decision)}
      </Typography>
      {review && (
        <Typography variant="caption" component="p" className={classes.nowrap}>
          Review by{' '}
          <time dateTime={review.reviewBy}>{formatDay(review.reviewBy)}</time>
        </Typography>
      )}
      {review && (
        <Typography
          variant="caption"
          component="p"
          className={
            review.overdueDays !== undefined
              ? `${classes.inline} ${classes.alert}`
              : classes.nowrap
          }
        >
          {review.overdueDays !== undefined && (
            <ErrorOutlineIcon fontSize="inherit" />
          )}
          {describeReview(review)}
        </Typography>
      )}
    </>
  );
}

/** One capability of the portfolio table. */
export function CapabilityRow(props: { row: PortfolioRow }) {
  const { row } = props;
  const classes = usePortfolioStyles();
  const rowClasses = useRowStyles();
  return (
    <TableRow>
      <TableCell component="th" scope="row" className={rowClasses.capability}>
        <EntityRefLink entityRef={row.entityRef}>{row.title}</EntityRefLink>
        {row.systemRef && (
          // One line under the name; the link is underlined, as it sits in
          // text (axe: `link-in-text-block`).
          <Typography
            variant="caption"
            color="textSecondary"
            component="p"
            className={classes.nowrap}
          >
            in{' '}
            <EntityRefLink
              entityRef={row.systemRef}
              defaultKind="system"
              underline="always"
            />
          </Typography>
        )}
      </TableCell>
      <TableCell className={classes.nowrap}>
        {row.ownerRef ? (
          <EntityRefLink entityRef={row.ownerRef} defaultKind="group" />
        ) : (
          <Missing>No owner</Missing>
        )}
      </TableCell>
      <TableCell>
        <TrustCell trust={row.trust} />
      </TableCell>
      <TableCell>
        <PhaseCell phase={row.phase} />
      </TableCell>
      <TableCell>
        <DecisionCell row={row} />
      </TableCell>
      <TableCell align="right" className={classes.numeric}>
        {row.consumerTeams}
      </TableCell>
      <TableCell align="right" className={classes.numeric}>
        {row.adoptedTeams ?? <Missing>—</Missing>}
      </TableCell>
    </TableRow>
  );
}
