import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { PortfolioSort } from '@freeboard/backstage-plugin-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import LinearProgress from '@material-ui/core/LinearProgress';
import TablePagination from '@material-ui/core/TablePagination';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { freeboardApiRef } from '../../shared';
import { describeTotals } from '../format';
import { isFiltered, PAGE_SIZES, pageRequestOf } from '../query';
import { PortfolioViewState } from '../usePortfolioView';
import { CapabilitiesTable } from './CapabilitiesTable';
import { ExportCsvButton } from './ExportCsvButton';
import { FilterBar } from './FilterBar';

/** How the rows are ordered when no column is chosen, in words. */
const ATTENTION_ORDER =
  'Needs attention first: overdue reviews (most overdue first), then the lowest balances.';

function SortNotice(props: {
  sort: PortfolioSort;
  onSort: (sort: PortfolioSort) => void;
}) {
  if (props.sort === 'attention') {
    return <Typography variant="body2">{ATTENTION_ORDER}</Typography>;
  }
  return (
    <Button size="small" onClick={() => props.onSort('attention')}>
      Sort by what needs attention
    </Button>
  );
}

/**
 * The portfolio table: every platform capability the user can see, one
 * page at a time, filtered, searched and sorted on the server, with the
 * filtered view's totals and a CSV export of it.
 */
export function CapabilitiesCard(props: {
  state: PortfolioViewState;
  groups: string[];
  systems: string[];
}) {
  const { state, groups, systems } = props;
  const { view, sortBy, setPage, clearFilters } = state;
  const api = useApi(freeboardApiRef);
  const [exportError, setExportError] = useState<string>();
  // The previous page stays on screen, under a progress bar, while the next
  // one loads.
  const page = useAsync(
    () => api.getPortfolio(pageRequestOf(view)),
    [api, view],
  );
  const filtered = isFiltered(view);

  const body = () => {
    if (page.error) {
      return (
        <>
          <ResponseErrorPanel
            error={page.error}
            title="Could not load the capabilities"
          />
          {filtered && (
            <Box mt={1}>
              <Button variant="outlined" onClick={clearFilters}>
                Clear filters
              </Button>
            </Box>
          )}
        </>
      );
    }
    if (!page.value) return <Progress />;
    const { items, total, totals } = page.value;
    if (total === 0 && !filtered) {
      return (
        <Typography variant="body2">
          No platform capabilities yet. A capability appears here once it
          carries a float-or-sink decision, a trust-credit ledger or an MVP
          initiative.
        </Typography>
      );
    }
    return (
      <>
        <Box
          display="flex"
          flexWrap="wrap"
          alignItems="center"
          justifyContent="space-between"
          style={{ gap: 8 }}
          mb={1}
        >
          <Typography variant="subtitle1" component="p" role="status">
            <strong>{describeTotals(totals)}</strong>
            {filtered && ' match these filters'}
          </Typography>
          <SortNotice sort={view.sort} onSort={sortBy} />
        </Box>
        {total === 0 && (
          <Typography variant="body2">
            No capability matches these filters.{' '}
            <Button size="small" onClick={clearFilters}>
              Clear filters
            </Button>
          </Typography>
        )}
        {total > 0 && items.length === 0 && (
          <Typography variant="body2">
            This page is past the last capability.{' '}
            <Button size="small" onClick={() => setPage(0, view.limit)}>
              Go to the first page
            </Button>
          </Typography>
        )}
        {items.length > 0 && (
          <>
            <CapabilitiesTable rows={items} view={view} onSort={sortBy} />
            <TablePagination
              component="div"
              count={total}
              page={Math.floor(view.offset / view.limit)}
              rowsPerPage={view.limit}
              rowsPerPageOptions={[...PAGE_SIZES]}
              onPageChange={(_event, next) =>
                setPage(next * view.limit, view.limit)
              }
              onRowsPerPageChange={e => setPage(0, Number(e.target.value))}
              labelRowsPerPage="Rows per page:"
              SelectProps={{
                native: true,
                inputProps: { 'aria-label': 'Rows per page' },
              }}
            />
          </>
        )}
      </>
    );
  };

  return (
    <InfoCard
      title="Capabilities"
      action={
        <Box pt={1} pr={1}>
          <ExportCsvButton view={view} onError={setExportError} />
        </Box>
      }
    >
      <FilterBar state={state} groups={groups} systems={systems} />
      {exportError && (
        <Box mb={1}>
          <Alert severity="error" onClose={() => setExportError(undefined)}>
            {exportError}
          </Alert>
        </Box>
      )}
      {page.loading && page.value && (
        <LinearProgress aria-label="Loading capabilities" />
      )}
      {body()}
    </InfoCard>
  );
}
