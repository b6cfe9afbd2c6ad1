import { InfoCard, ResponseErrorPanel } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { PhaseHistoryEvent } from '@freeboard/backstage-plugin-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import LinearProgress from '@material-ui/core/LinearProgress';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { useState } from 'react';
import {
  eventLabel,
  formatDateTime,
  HISTORY_FILTERS,
  HistoryFilterId,
} from '../format';
import { usePhaseHistory } from './usePhaseHistory';

const useStyles = makeStyles(theme => ({
  timeline: { listStyle: 'none', margin: 0, padding: 0 },
  event: {
    position: 'relative',
    paddingLeft: theme.spacing(3),
    paddingBottom: theme.spacing(2),
    borderLeft: `2px solid ${theme.palette.divider}`,
    marginLeft: theme.spacing(1),
    '&::before': {
      content: '""',
      position: 'absolute',
      left: -7,
      top: 4,
      width: 12,
      height: 12,
      borderRadius: '50%',
      background: theme.palette.primary.main,
    },
  },
  head: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(1),
  },
  type: { height: 20, fontSize: '0.7rem', color: theme.palette.text.primary },
}));

function HistoryItem(props: { event: PhaseHistoryEvent }) {
  const { event } = props;
  const classes = useStyles();
  return (
    <li className={classes.event}>
      <Box className={classes.head}>
        <Typography variant="body2" component="span">
          <strong>{event.summary}</strong>
        </Typography>
        <Chip
          size="small"
          variant="outlined"
          className={classes.type}
          label={eventLabel(event.type)}
        />
      </Box>
      <Typography variant="caption" color="textSecondary" component="p">
        <time dateTime={event.occurredAt}>
          {formatDateTime(event.occurredAt)}
        </time>
        {' · '}
        <EntityRefLink entityRef={event.actorRef} defaultKind="user" />
      </Typography>
      {event.reason && (
        <Typography variant="body2" component="p">
          Reason: {event.reason}
        </Typography>
      )}
    </li>
  );
}

/**
 * The initiative's history, newest first, paged, narrowed to a kind of event
 * among those loaded. With `asOf`, events after that moment are left out.
 */
export function PhaseHistory(props: {
  entityRef: string;
  revision: number;
  asOf?: string;
}) {
  const { entityRef, revision, asOf } = props;
  const classes = useStyles();
  const history = usePhaseHistory(entityRef, revision);
  const [filter, setFilter] = useState<HistoryFilterId | ''>('');
  const types: readonly string[] | undefined = filter
    ? HISTORY_FILTERS.find(f => f.id === filter)?.types
    : undefined;
  const until = asOf ? Date.parse(asOf) : undefined;
  const shown = history.items.filter(
    event =>
      (!types || types.includes(event.type)) &&
      (until === undefined || Date.parse(event.occurredAt) <= until),
  );

  return (
    <InfoCard title="History" titleTypographyProps={{ component: 'h2' }}>
      <TextField
        select
        id="freeboard-history-filter"
        label="Show"
        value={filter}
        onChange={e => setFilter(e.target.value as HistoryFilterId | '')}
        SelectProps={{ native: true }}
        InputLabelProps={{ shrink: true }}
        variant="outlined"
        margin="dense"
        style={{ minWidth: 240 }}
      >
        <option value="">All events</option>
        {HISTORY_FILTERS.map(f => (
          <option key={f.id} value={f.id}>
            {f.label}
          </option>
        ))}
      </TextField>
      {history.loading && <LinearProgress aria-label="Loading history" />}
      {history.error && (
        <ResponseErrorPanel
          error={history.error}
          title="Could not load the history"
        />
      )}
      {!history.loading && !history.error && shown.length === 0 && (
        <Typography variant="body2">
          {history.items.length === 0
            ? 'Nothing has happened yet.'
            : 'No events of this kind among those loaded.'}
        </Typography>
      )}
      {shown.length > 0 && (
        <Box
          mt={2}
          component="ol"
          aria-label="History"
          className={classes.timeline}
        >
          {shown.map(event => (
            <HistoryItem key={event.version} event={event} />
          ))}
        </Box>
      )}
      {history.nextCursor && (
        <Box mt={1} display="flex" justifyContent="center">
          <Button
            variant="outlined"
            onClick={history.loadMore}
            disabled={history.loading}
          >
            Load older events
          </Button>
        </Box>
      )}
    </InfoCard>
  );
}
