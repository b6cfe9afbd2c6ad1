import { InfoCard } from '@backstage/core-components';
import { EntityDisplayName } from '@backstage/plugin-catalog-react';
import { GroupRollup } from '@freeboard/backstage-plugin-common';
import Link from '@material-ui/core/Link';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { formatCredits } from '../../trust/format';
import { TrustLevelChip } from '../../trust/TrustChips';
import { usePortfolioStyles } from '../styles';
import { ScrollRegion } from '../ScrollRegion';
import { groupOutline } from './groupTree';

const HINT_ID = 'freeboard-portfolio-teams-hint';

/**
 * Every group that owns capabilities, its child groups' capabilities
 * included, with child groups indented under their parents. Choosing a
 * group filters the table to what it owns.
 */
export function TeamsRollupPanel(props: {
  groups: GroupRollup[];
  selected?: string;
  onSelect: (groupRef: string | undefined) => void;
}) {
  const { groups, selected, onSelect } = props;
  const classes = usePortfolioStyles();
  const lines = groupOutline(groups);
  const parentOf = new Map(groups.map(g => [g.groupRef, g.parentRef]));

  return (
    <InfoCard title="Teams">
      {lines.length === 0 ? (
        <Typography variant="body2">
          No team owns a platform capability yet: set <code>spec.owner</code> on
          the capabilities to see who owns what.
        </Typography>
      ) : (
        <>
          <Typography variant="body2" id={HINT_ID} paragraph>
            Each team's figures include its child teams. Choose a team to show
            what it owns in the table; choose it again to show everything.
          </Typography>
          <ScrollRegion label="Teams and what they own, scrollable">
            <Table
              size="small"
              aria-label="Teams and what they own"
              className={classes.table}
            >
              <TableHead>
                <TableRow>
                  <TableCell>Team</TableCell>
                  <TableCell align="right">Capabilities</TableCell>
                  <TableCell align="right">Balance</TableCell>
                  <TableCell>Weakest level</TableCell>
                  <TableCell align="right">Overdue reviews</TableCell>
                  <TableCell align="right">Floating</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {lines.map(({ group, depth }) => {
                  const active = group.groupRef === selected;
                  const parent = parentOf.get(group.groupRef);
                  return (
                    <TableRow key={group.groupRef} selected={active}>
                      <TableCell component="th" scope="row">
                        <span style={{ paddingLeft: depth * 24 }}>
                          <Link
                            component="button"
                            variant="body2"
                            aria-pressed={active}
                            aria-describedby={HINT_ID}
                            onClick={() =>
                              onSelect(active ? undefined : group.groupRef)
                            }
                          >
                            <EntityDisplayName
                              entityRef={group.groupRef}
                              defaultKind="group"
                              hideIcon
                              disableTooltip
                            />
                          </Link>
                          {depth > 0 && parent && (
                            <span className={classes.visuallyHidden}>
                              , part of{' '}
                              <EntityDisplayName
                                entityRef={parent}
                                defaultKind="group"
                                hideIcon
                                disableTooltip
                              />
                            </span>
                          )}
                        </span>
                      </TableCell>
                      <TableCell align="right" className={classes.numeric}>
                        {group.capabilities}
                      </TableCell>
                      <TableCell align="right" className={classes.numeric}>
                        {formatCredits(group.balance)}
                      </TableCell>
                      <TableCell>
                        {group.weakestLevel ? (
                          <TrustLevelChip level={group.weakestLevel} />
                        ) : (
                          '—'
                        )}
                      </TableCell>
                      <TableCell align="right" className={classes.numeric}>
                        {group.overdue}
                      </TableCell>
                      <TableCell align="right" className={classes.numeric}>
                        {group.floating}
                      </TableCell>
                    </TableRow>
                  );
                })}
              </TableBody>
            </Table>
          </ScrollRegion>
        </>
      )}
    </InfoCard>
  );
}
