import { useApi } from '@backstage/core-plugin-api';
import { TrustConfig } from '@freeboard/backstage-plugin-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import FlightTakeoffIcon from '@material-ui/icons/FlightTakeoff';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { errorMessage, freeboardApiRef } from '../../shared';
import { useTrustPermissions } from '../../trust/hooks';
import {
  PreflightDialog,
  PreflightInitialValues,
} from '../../trust/PreflightDialog';

/** The spend category of a migration in the default configuration. */
export const MIGRATION_CATEGORY = 'migration';

/** The most consumer refs a pre-flight request may name (the backend's limit). */
export const PREFLIGHT_MAX_CONSUMERS = 100;

/**
 * The pre-flight of floating this capability: a migration spend on every
 * team still depending on it.
 *
 * The amount is the migration category's default, per team: a pre-flight
 * charges each listed team the amount, just as recording the migration
 * would charge each consumer one migration, so the default is the ledger's
 * own price of moving one team. The lead can change it in the dialog. A
 * configuration without a `migration` spend category opens on its first
 * spend category, with that category's default.
 *
 * More teams than one request may name (rare) are left to the backend,
 * which then projects on every team depending on the capability in the
 * catalog: the same teams.
 */
export function migrationPreflight(
  config: TrustConfig,
  remainingTeams: string[],
): PreflightInitialValues {
  const migration = config.categories.find(
    c => c.id === MIGRATION_CATEGORY && c.direction === 'spend',
  );
  return {
    ...(migration
      ? {
          category: migration.id,
          amount: Math.min(migration.defaultAmount, config.maxAmount),
        }
      : {}),
    ...(remainingTeams.length <= PREFLIGHT_MAX_CONSUMERS
      ? { consumerRefs: remainingTeams }
      : {}),
  };
}

/**
 * "Plan the migration": opens the trust pre-flight with the migration
 * prefilled, for those allowed to run pre-flights on the entity (the same
 * permission as the card's Pre-flight button); renders nothing for others.
 */
export function MigrationPlan(props: {
  entityRef: string;
  remainingTeams: string[];
}) {
  const { canRecord } = useTrustPermissions(props.entityRef);
  if (!canRecord) return null;
  return <MigrationPlanButton {...props} />;
}

function MigrationPlanButton(props: {
  entityRef: string;
  remainingTeams: string[];
}) {
  const { entityRef, remainingTeams } = props;
  const api = useApi(freeboardApiRef);
  const [open, setOpen] = useState(false);
  const config = useAsync(() => api.getTrustConfig(), [api]);

  return (
    <Box mt={1.5}>
      <Button
        variant="outlined"
        color="primary"
        size="small"
        startIcon={<FlightTakeoffIcon />}
        disabled={!config.value}
        onClick={() => setOpen(true)}
      >
        Plan the migration
      </Button>
      {config.error && (
        <Typography variant="body2" color="error" role="alert">
          Could not load the trust configuration: {errorMessage(config.error)}
        </Typography>
      )}
      {/* Mounted only while open, so every opening starts afresh. */}
      {open && config.value && (
        <PreflightDialog
          open
          entityRef={entityRef}
          config={config.value}
          initial={migrationPreflight(config.value, remainingTeams)}
          onClose={() => setOpen(false)}
        />
      )}
    </Box>
  );
}
