import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { TrustLedgerEntry } from '@freeboard/backstage-plugin-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import LinearProgress from '@material-ui/core/LinearProgress';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { freeboardApiRef } from '../../shared';
import { useEntityTrustRef } from '../hooks';
import { RevertEntryDialog } from '../RevertEntryDialog';
import { TrustActions } from '../TrustActions';
import { TrustBalance } from '../TrustBalance';
import { LedgerFilters } from './LedgerFilters';
import { LedgerTable } from './LedgerTable';
import {
  TrendPeriod,
  TrendPeriodSelector,
  TrustTrendChart,
} from './TrustTrendChart';
import { LedgerFilter, useLedger } from './useLedger';

/**
 * The entity's "Trust credits" tab: the balance, its trend over 30, 90 or
 * 365 days, and the whole ledger, filterable, with reverts of the entries
 * the permission policy lets the user revert.
 */
export function TrustHistoryContent() {
  const api = useApi(freeboardApiRef);
  const entityRef = useEntityTrustRef();
  const [days, setDays] = useState<TrendPeriod>(90);
  const [filter, setFilter] = useState<LedgerFilter>({});
  const [reverting, setReverting] = useState<TrustLedgerEntry>();
  // Bumped after every write, so the summary, trend and ledger reload.
  const [refreshKey, setRefreshKey] = useState(0);
  const refresh = () => setRefreshKey(key => key + 1);

  const overview = useAsync(async () => {
    const [summary, config] = await Promise.all([
      api.getTrustSummary(entityRef),
      api.getTrustConfig(),
    ]);
    return { summary, config };
  }, [api, entityRef, refreshKey]);
  const ledger = useLedger(entityRef, filter, refreshKey);

  if (overview.error) {
    return (
      <ResponseErrorPanel
        error={overview.error}
        title="Could not load the trust credits"
      />
    );
  }
  if (!overview.value) return <Progress />;
  const { summary, config } = overview.value;

  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <InfoCard title="Trust credits">
          <Box
            display="flex"
            flexWrap="wrap"
            alignItems="flex-end"
            justifyContent="space-between"
            style={{ gap: 16 }}
          >
            <TrustBalance summary={summary} />
            <TrustActions
              entityRef={entityRef}
              config={config}
              onRecorded={refresh}
            />
          </Box>
          <Typography variant="body2" color="textSecondary">
            Balances fade: every entry counts half as much after{' '}
            {config.halfLifeDays} days.
          </Typography>
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        <InfoCard
          title="Trend"
          action={<TrendPeriodSelector days={days} onChange={setDays} />}
        >
          <TrustTrendChart
            entityRef={entityRef}
            days={days}
            levels={config.levels}
            refreshKey={refreshKey}
          />
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        <InfoCard title="Ledger">
          <LedgerFilters config={config} filter={filter} onChange={setFilter} />
          {ledger.loading && <LinearProgress aria-label="Loading entries" />}
          {ledger.error && (
            <ResponseErrorPanel
              error={ledger.error}
              title="Could not load the ledger"
            />
          )}
          {!ledger.loading && !ledger.error && ledger.entries.length === 0 ? (
            <Typography variant="body2" color="textSecondary">
              {summary.entryCount === 0
                ? 'No credits recorded yet.'
                : 'No entries match these filters.'}
            </Typography>
          ) : (
            <LedgerTable
              entries={ledger.entries}
              config={config}
              onRevert={setReverting}
            />
          )}
          {ledger.nextCursor && (
            <Box mt={2} display="flex" justifyContent="center">
              <Button
                variant="outlined"
                onClick={ledger.loadMore}
                disabled={ledger.loading}
              >
                Load more
              </Button>
            </Box>
          )}
        </InfoCard>
      </Grid>
      {reverting && (
        <RevertEntryDialog
          open
          entityRef={entityRef}
          entry={reverting}
          onClose={() => setReverting(undefined)}
          onReverted={() => {
            setReverting(undefined);
            refresh();
          }}
        />
      )}
    </Grid>
  );
}
