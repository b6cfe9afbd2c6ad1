import {
  PortfolioRow,
  PortfolioSort,
} from '@freeboard/backstage-plugin-common';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import TableSortLabel from '@material-ui/core/TableSortLabel';
import { FIRST_ORDER, PortfolioView } from '../query';
import { ScrollRegion } from '../ScrollRegion';
import { usePortfolioStyles } from '../styles';
import { CapabilityRow } from './CapabilityRow';

/** The columns, each sorting by one key of the backend. */
const COLUMNS: Array<{
  label: string;
  sort: Exclude<PortfolioSort, 'attention'>;
  numeric?: boolean;
}> = [
  { label: 'Capability', sort: 'title' },
  { label: 'Owner', sort: 'owner' },
  { label: 'Trust balance', sort: 'balance' },
  { label: 'MVP phase', sort: 'phase' },
  { label: 'Decision and review', sort: 'reviewBy' },
  { label: 'Consumer teams', sort: 'consumers', numeric: true },
  { label: 'Adopted teams', sort: 'adoption', numeric: true },
];

/**
 * One page of capabilities. Every header sorts (on the server) by its
 * column: a click sorts by it, a second click reverses the order.
 */
export function CapabilitiesTable(props: {
  rows: PortfolioRow[];
  view: PortfolioView;
  onSort: (sort: PortfolioSort) => void;
}) {
  const { rows, view, onSort } = props;
  const classes = usePortfolioStyles();

  return (
    <ScrollRegion label="Platform capabilities, scrollable">
      <Table
        size="small"
        aria-label="Platform capabilities"
        className={classes.table}
      >
        <TableHead>
          <TableRow>
            {COLUMNS.map(column => {
              const active = view.sort === column.sort;
              const order = active
                ? view.order ?? FIRST_ORDER[column.sort]
                : FIRST_ORDER[column.sort];
              return (
                <TableCell
                  key={column.sort}
                  align={column.numeric ? 'right' : 'left'}
                  sortDirection={active ? order : false}
                  className={
                    column.numeric ? classes.wrappingHeader : undefined
                  }
                >
                  <TableSortLabel
                    active={active}
                    direction={order}
                    onClick={() => onSort(column.sort)}
                  >
                    {column.label}
                  </TableSortLabel>
                </TableCell>
              );
            })}
          </TableRow>
        </TableHead>
        <TableBody>
          {rows.map(row => (
            <CapabilityRow key={row.entityRef} row={row} />
          ))}
        </TableBody>
      </Table>
    </ScrollRegion>
  );
}
