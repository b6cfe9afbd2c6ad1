import { InfoCard } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import {
  InitiativePhaseState,
  PhaseSignoff,
} from '@freeboard/backstage-plugin-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import AddIcon from '@material-ui/icons/Add';
import { useState } from 'react';
import { formatDate } from '../../shared';
import { phaseLabel, refName } from '../format';
import { PanelProps } from '../panelProps';
import { SignoffStateChip } from '../PhaseChips';
import { DecideSignoffDialog } from './DecideSignoffDialog';
import { RequestSignoffDialog } from './RequestSignoffDialog';

const useStyles = makeStyles(theme => ({
  item: {
    display: 'block',
    borderBottom: `1px solid ${theme.palette.divider}`,
  },
  head: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    justifyContent: 'space-between',
    gap: theme.spacing(1),
  },
  buttons: { display: 'flex', gap: theme.spacing(1) },
}));

/** Where the sign-off comes from, and what the group decided. */
function SignoffDetails(props: { signoff: PhaseSignoff }) {
  const { signoff } = props;
  return (
    <>
      <Typography variant="caption" color="textSecondary" component="p">
        {signoff.origin === 'config' ? (
          'Required for every initiative'
        ) : (
          <>
            Requested
            {signoff.requestedBy && (
              <>
                {' by '}
                <EntityRefLink
                  entityRef={signoff.requestedBy}
                  defaultKind="user"
                />
              </>
            )}
          </>
        )}
      </Typography>
      {signoff.decidedBy && signoff.state !== 'pending' && (
        <Typography variant="body2" component="p">
          {signoff.state === 'approved' ? 'Approved' : 'Rejected'} by{' '}
          <EntityRefLink entityRef={signoff.decidedBy} defaultKind="user" />
          {signoff.decidedAt && ` on ${formatDate(signoff.decidedAt)}`}
          {signoff.comment && `: “${signoff.comment}”`}
        </Typography>
      )}
    </>
  );
}

/**
 * The stakeholder sign-offs of one phase. Members of a group (and only they)
 * get Approve and Reject for it; leads may ask more groups.
 */
export function SignoffPanel(
  props: PanelProps & {
    phase: InitiativePhaseState;
    /** Whether the user may sign off at all (the permission, and now). */
    canDecide: boolean;
    /** The user's ownership refs, lower case: the groups they are in. */
    memberOf: Set<string>;
  },
) {
  const { entityRef, phase, editable, canDecide, memberOf, run } = props;
  const classes = useStyles();
  const [requesting, setRequesting] = useState(false);
  const [deciding, setDeciding] = useState<{
    groupRef: string;
    decision: 'approve' | 'reject';
  }>();
  const label = `Sign-offs of ${phaseLabel(phase.id)}`;

  return (
    <InfoCard title={label} titleTypographyProps={{ component: 'h2' }}>
      {phase.signoffs.length === 0 ? (
        <Typography variant="body2">
          No sign-offs are needed for this phase.
        </Typography>
      ) : (
        <List dense disablePadding aria-label={label}>
          {phase.signoffs.map(signoff => {
            const member =
              canDecide && memberOf.has(signoff.groupRef.toLowerCase());
            const group = refName(signoff.groupRef);
            return (
              <ListItem
                key={signoff.groupRef}
                disableGutters
                className={classes.item}
              >
                <Box className={classes.head}>
                  <EntityRefLink
                    entityRef={signoff.groupRef}
                    defaultKind="group"
                  />
                  <SignoffStateChip state={signoff.state} />
                </Box>
                <SignoffDetails signoff={signoff} />
                {member && (
                  <Box className={classes.buttons} my={1}>
                    {signoff.state !== 'approved' && (
                      <Button
                        size="small"
                        variant="contained"
                        color="primary"
                        aria-label={`Approve for ${group}`}
                        onClick={() =>
                          setDeciding({
                            groupRef: signoff.groupRef,
                            decision: 'approve',
                          })
                        }
                      >
                        Approve
                      </Button>
                    )}
                    {signoff.state !== 'rejected' && (
                      <Button
                        size="small"
                        variant="outlined"
                        aria-label={`Reject for ${group}`}
                        onClick={() =>
                          setDeciding({
                            groupRef: signoff.groupRef,
                            decision: 'reject',
                          })
                        }
                      >
                        Reject
                      </Button>
                    )}
                  </Box>
                )}
              </ListItem>
            );
          })}
        </List>
      )}
      {editable && (
        <Box mt={2}>
          <Button
            variant="outlined"
            color="primary"
            startIcon={<AddIcon />}
            onClick={() => setRequesting(true)}
          >
            Request sign-off
          </Button>
        </Box>
      )}
      {requesting && (
        <RequestSignoffDialog
          entityRef={entityRef}
          phase={phase.id}
          run={run}
          onClose={() => setRequesting(false)}
        />
      )}
      {deciding && (
        <DecideSignoffDialog
          entityRef={entityRef}
          phase={phase.id}
          groupRef={deciding.groupRef}
          decision={deciding.decision}
          run={run}
          onClose={() => setDeciding(undefined)}
        />
      )}
    </InfoCard>
  );
}
