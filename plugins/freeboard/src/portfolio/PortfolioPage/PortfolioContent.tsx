import { useApi } from '@backstage/core-plugin-api';
import Grid from '@material-ui/core/Grid';
import { useMemo } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { freeboardApiRef } from '../../shared';
import { CapabilitiesCard } from '../CapabilitiesCard';
import { OverdrawnTeamsPanel } from '../OverdrawnTeamsPanel';
import { OverdueReviewsPanel } from '../OverdueReviewsPanel';
import { PhasesGlancePanel } from '../PhasesGlancePanel';
import { TeamsRollupPanel } from '../TeamsRollupPanel';
import { ThicknessPanel } from '../ThicknessPanel';
import { usePortfolioView } from '../usePortfolioView';
import { PanelPlaceholder } from './PanelPlaceholder';

/** Days of the thickness trend. */
export const THICKNESS_DAYS = 90;

/**
 * The portfolio: the capabilities table (filters, sort and page in the
 * URL), then the panels over everything the user can see: the thickness
 * meter, overdue reviews, overdrawn teams, phases at a glance and the
 * teams' rollups. The panels do not follow the table's filters; choosing a
 * team or "overdue" in them filters the table.
 */
export function PortfolioContent() {
  const api = useApi(freeboardApiRef);
  const state = usePortfolioView();
  const summary = useAsync(() => api.getPortfolioSummary(), [api]);
  const thickness = useAsync(
    () => api.getThickness({ days: THICKNESS_DAYS }),
    [api],
  );

  const groups = useMemo(
    () => (summary.value?.groups ?? []).map(g => g.groupRef),
    [summary.value],
  );
  const systems = useMemo(
    () =>
      (thickness.value?.systems ?? []).flatMap(s =>
        s.systemRef ? [s.systemRef] : [],
      ),
    [thickness.value],
  );

  const showOverdue = () => state.setFilters({ overdue: true });
  const summaryPlaceholder = (title: string) => (
    <PanelPlaceholder
      title={title}
      error={summary.error}
      errorTitle="Could not load the platform summary"
    />
  );

  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <CapabilitiesCard state={state} groups={groups} systems={systems} />
      </Grid>
      {/*
        Half-width panels only where half the content is wide enough for
        their tables (lg: 1280 px and up, sidebar included); below, each
        panel takes the full width.
      */}
      <Grid item xs={12} lg={6}>
        {thickness.value ? (
          <ThicknessPanel report={thickness.value} />
        ) : (
          <PanelPlaceholder
            title="Thinnest viable platform"
            error={thickness.error}
            errorTitle="Could not load the thickness meter"
          />
        )}
      </Grid>
      <Grid item xs={12} lg={6}>
        {/* The two short lists share the column beside the meter. */}
        <Grid container spacing={3}>
          <Grid item xs={12}>
            {summary.value ? (
              <OverdueReviewsPanel
                reviews={summary.value.overdueReviews}
                total={summary.value.totals.overdue}
                onShowAll={showOverdue}
              />
            ) : (
              summaryPlaceholder('Overdue reviews')
            )}
          </Grid>
          <Grid item xs={12}>
            {summary.value ? (
              <OverdrawnTeamsPanel teams={summary.value.overdrawnTeams} />
            ) : (
              summaryPlaceholder('Overdrawn teams')
            )}
          </Grid>
        </Grid>
      </Grid>
      {/* Full width: the blockers are sentences. */}
      <Grid item xs={12}>
        {summary.value ? (
          <PhasesGlancePanel phases={summary.value.phases} />
        ) : (
          summaryPlaceholder('Phases at a glance')
        )}
      </Grid>
      <Grid item xs={12}>
        {summary.value ? (
          <TeamsRollupPanel
            groups={summary.value.groups}
            selected={state.view.owner}
            onSelect={owner => state.setFilters({ owner })}
          />
        ) : (
          summaryPlaceholder('Teams')
        )}
      </Grid>
    </Grid>
  );
}
