import { ResponseErrorPanel } from '@backstage/core-components';
import { DecisionHistoryItem } from '@freeboard/backstage-plugin-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import LinearProgress from '@material-ui/core/LinearProgress';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import ExpandLessIcon from '@material-ui/icons/ExpandLess';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import { useEffect, useRef, useState } from 'react';
import { formatDate } from '../../shared';
import { describeDecisionEvent } from '../format';
import { useDecisionHistory } from '../hooks';

const useStyles = makeStyles(theme => ({
  list: { listStyle: 'none', margin: 0, padding: 0 },
  event: {
    paddingLeft: theme.spacing(1.5),
    paddingBottom: theme.spacing(1),
    borderLeft: `2px solid ${theme.palette.divider}`,
  },
  summary: { overflowWrap: 'anywhere' },
}));

function HistoryEvent(props: { event: DecisionHistoryItem }) {
  const classes = useStyles();
  const { event } = props;
  const { summary, details } = describeDecisionEvent(event);
  // Focusable from script only: "Show more" moves focus to the first new event.
  return (
    <li className={classes.event} tabIndex={-1}>
      <Typography variant="body2" className={classes.summary}>
        {summary}
      </Typography>
      {details && (
        <Typography
          variant="caption"
          color="textSecondary"
          component="p"
          className={classes.summary}
        >
          {details}
        </Typography>
      )}
      <Typography variant="caption" color="textSecondary" component="p">
        <time dateTime={event.observedAt}>{formatDate(event.observedAt)}</time>
      </Typography>
    </li>
  );
}

/**
 * The decision's history, newest first, behind a "Show history" toggle: it
 * is loaded when first opened, a page of a few events at a time.
 */
export function DecisionHistory(props: { entityRef: string }) {
  const { entityRef } = props;
  const classes = useStyles();
  const [open, setOpen] = useState(false);
  const history = useDecisionHistory(entityRef, open);
  const regionId = `freeboard-decision-history-${entityRef}`;
  const list = useRef<HTMLOListElement>(null);
  // The index of the first event of the page "Show more" asked for: focus
  // goes there once it arrives, so keyboard users continue where they were.
  const [focusIndex, setFocusIndex] = useState<number>();
  const count = history.items.length;

  useEffect(() => {
    if (focusIndex === undefined || count <= focusIndex) return;
    const item = list.current?.children.item(focusIndex);
    if (item instanceof HTMLElement) item.focus();
    setFocusIndex(undefined);
  }, [focusIndex, count]);

  const showMore = () => {
    setFocusIndex(count);
    history.loadMore();
  };

  return (
    <Box mt={1}>
      <Button
        size="small"
        aria-expanded={open}
        aria-controls={regionId}
        startIcon={open ? <ExpandLessIcon /> : <ExpandMoreIcon />}
        onClick={() => setOpen(!open)}
      >
        {open ? 'Hide history' : 'Show history'}
      </Button>
      {open && (
        <Box id={regionId} mt={1}>
          {history.items.length > 0 && (
            <ol
              ref={list}
              className={classes.list}
              aria-label="Decision history"
            >
              {history.items.map(event => (
                <HistoryEvent key={event.id} event={event} />
              ))}
            </ol>
          )}
          {history.loading && (
            <LinearProgress aria-label="Loading the decision history" />
          )}
          {history.error && (
            <ResponseErrorPanel
              error={history.error}
              title="Could not load the decision history"
            />
          )}
          {history.loaded &&
            !history.loading &&
            !history.error &&
            history.items.length === 0 && (
              <Typography variant="body2">
                No changes recorded yet. Freeboard records the decision’s
                changes as it sees them in the catalog.
              </Typography>
            )}
          {history.nextCursor && (
            <Button
              size="small"
              color="primary"
              disabled={history.loading}
              onClick={showMore}
            >
              Show more
            </Button>
          )}
        </Box>
      )}
    </Box>
  );
}
