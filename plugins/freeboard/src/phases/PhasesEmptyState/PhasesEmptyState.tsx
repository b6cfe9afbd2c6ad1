import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import PlayArrowIcon from '@material-ui/icons/PlayArrow';
import Alert from '@material-ui/lab/Alert';
import { useState } from 'react';
import { WriteOutcome } from '../useInitiative';

/**
 * What MVP phases are, for an entity whose initiative has not started; with
 * Start for those allowed to manage it, and a plain sentence for everyone
 * else.
 */
export function PhasesEmptyState(props: {
  canManage: boolean;
  onStart: () => Promise<WriteOutcome>;
  /** Set when showing the past: nothing can be started there. */
  asOf?: string;
}) {
  const { canManage, onStart, asOf } = props;
  const [starting, setStarting] = useState(false);
  const [error, setError] = useState<string>();

  const start = async () => {
    setStarting(true);
    setError(undefined);
    const outcome = await onStart();
    if (outcome.status === 'failed') {
      setError(`Could not start: ${outcome.message}`);
    }
    setStarting(false);
  };

  return (
    <Box>
      <Typography variant="subtitle1" component="p">
        {asOf ? 'Not started at that date' : 'Not started yet'}
      </Typography>
      <Typography variant="body2" color="textSecondary" paragraph>
        MVP phases take a platform capability through Discovery, Integration,
        Deployment and Adoption, each phase closed by exit criteria and
        stakeholder sign-offs. Adoption is measured from the catalog, so
        everyone sees which teams really use it.
      </Typography>
      {error && (
        <Alert severity="error" role="alert">
          {error}
        </Alert>
      )}
      {!asOf &&
        (canManage ? (
          <Button
            variant="contained"
            color="primary"
            startIcon={<PlayArrowIcon />}
            onClick={start}
            disabled={starting}
          >
            Start
          </Button>
        ) : (
          <Typography variant="body2">
            A platform lead or an owner of this entity can start it.
          </Typography>
        ))}
    </Box>
  );
}
