import { InfoCard } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { OverdueReview } from '@freeboard/backstage-plugin-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import Typography from '@material-ui/core/Typography';
import ErrorOutlineIcon from '@material-ui/icons/ErrorOutline';
import { formatDay } from '../../phases/format';
import { count, decisionLabel } from '../format';
import { usePortfolioStyles } from '../styles';

/**
 * Decisions whose review date has passed, most overdue first, each linking
 * to its capability. "Show all in the table" filters the table to them.
 */
export function OverdueReviewsPanel(props: {
  reviews: OverdueReview[];
  /** Overdue reviews in all, when the list shows only the first ones. */
  total: number;
  onShowAll: () => void;
}) {
  const { reviews, total, onShowAll } = props;
  const classes = usePortfolioStyles();

  return (
    <InfoCard title="Overdue reviews">
      {reviews.length === 0 ? (
        <Typography variant="body2">
          No float-or-sink decision is overdue for review.
        </Typography>
      ) : (
        <>
          <List dense disablePadding aria-label="Overdue reviews">
            {reviews.map(review => (
              <ListItem key={review.entityRef} disableGutters divider>
                <Box
                  display="flex"
                  flexWrap="wrap"
                  justifyContent="space-between"
                  width="100%"
                  style={{ gap: 8 }}
                >
                  <div>
                    <EntityRefLink entityRef={review.entityRef}>
                      {review.title}
                    </EntityRefLink>
                    <Typography variant="caption" component="p">
                      {decisionLabel(review.decision)} · review by{' '}
                      <time dateTime={review.reviewBy}>
                        {formatDay(review.reviewBy)}
                      </time>
                      {review.ownerRef && (
                        <>
                          {' · '}
                          <EntityRefLink
                            entityRef={review.ownerRef}
                            defaultKind="group"
                            underline="always"
                          />
                        </>
                      )}
                    </Typography>
                  </div>
                  <Typography
                    variant="body2"
                    className={`${classes.inline} ${classes.alert}`}
                  >
                    <ErrorOutlineIcon fontSize="small" />
                    {count(review.overdueDays, 'day', 'days')} overdue
                  </Typography>
                </Box>
              </ListItem>
            ))}
          </List>
          <Box mt={1} display="flex" alignItems="center" style={{ gap: 8 }}>
            {total > reviews.length && (
              <Typography variant="body2">
                {count(total - reviews.length, 'more review', 'more reviews')}{' '}
                overdue.
              </Typography>
            )}
            <Button size="small" variant="outlined" onClick={onShowAll}>
              Show overdue in the table
            </Button>
          </Box>
        </>
      )}
    </InfoCard>
  );
}
