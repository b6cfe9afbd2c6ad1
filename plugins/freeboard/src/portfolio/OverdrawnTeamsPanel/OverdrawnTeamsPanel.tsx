import { InfoCard } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { OverdrawnTeam } from '@freeboard/backstage-plugin-common';
import Box from '@material-ui/core/Box';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import Typography from '@material-ui/core/Typography';
import { formatCredits } from '../../trust/format';
import { usePortfolioStyles } from '../styles';

/**
 * Consumer teams that paid the platform more trust than they got back,
 * across every capability: who paid most, and where (their lowest
 * balances first).
 */
export function OverdrawnTeamsPanel(props: { teams: OverdrawnTeam[] }) {
  const { teams } = props;
  const classes = usePortfolioStyles();

  return (
    <InfoCard title="Overdrawn teams">
      {teams.length === 0 ? (
        <Typography variant="body2">
          No consumer team is overdrawn with any capability.
        </Typography>
      ) : (
        <List dense disablePadding aria-label="Overdrawn teams">
          {teams.map(team => (
            <ListItem key={team.teamRef} disableGutters divider>
              <Box width="100%">
                <Box
                  display="flex"
                  justifyContent="space-between"
                  style={{ gap: 8 }}
                >
                  <EntityRefLink entityRef={team.teamRef} defaultKind="group" />
                  <Typography
                    variant="body2"
                    className={`${classes.alert} ${classes.numeric}`}
                  >
                    {formatCredits(team.balance)} overdrawn
                  </Typography>
                </Box>
                {team.capabilities.length > 0 && (
                  <Typography variant="caption" component="p">
                    Paid most on{' '}
                    {team.capabilities.map((capability, index) => (
                      <span key={capability.entityRef}>
                        {index > 0 && ', '}
                        <EntityRefLink
                          entityRef={capability.entityRef}
                          underline="always"
                        >
                          {capability.title}
                        </EntityRefLink>{' '}
                        <span className={classes.numeric}>
                          ({formatCredits(capability.balance)})
                        </span>
                      </span>
                    ))}
                  </Typography>
                )}
              </Box>
            </ListItem>
          ))}
        </List>
      )}
    </InfoCard>
  );
}
