import { DecisionReview } from '@freeboard/backstage-plugin-common';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { describeReview } from '../format';

/**
 * When the decision is to be reviewed: a plain line while the review is
 * ahead, a warning once it is overdue. The warning says "overdue" in words
 * and carries the warning icon, so it does not rely on its colour.
 */
export function ReviewStatus(props: { review: DecisionReview }) {
  const { review } = props;
  const text = describeReview(review);
  if (review.overdueDays !== undefined) {
    // `status`, not the default `alert`: the card does not interrupt
    // screen-reader users when it loads, it states a fact.
    return (
      <Alert severity="warning" role="status">
        {text}
      </Alert>
    );
  }
  return <Typography variant="body2">{text}</Typography>;
}
