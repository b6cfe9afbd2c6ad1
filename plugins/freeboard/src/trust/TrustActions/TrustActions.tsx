import {
  TrustConfig,
  TrustEntryResult,
} from '@freeboard/backstage-plugin-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import AddIcon from '@material-ui/icons/Add';
import FlightTakeoffIcon from '@material-ui/icons/FlightTakeoff';
import { useState } from 'react';
import { useTrustPermissions } from '../hooks';
import { PreflightDialog } from '../PreflightDialog';
import { RecordEntryDialog } from '../RecordEntryDialog';

/**
 * The "Record" and "Pre-flight" buttons and their dialogs, for people allowed
 * to record on this entity; renders nothing for everyone else.
 */
export function TrustActions(props: {
  entityRef: string;
  config: TrustConfig;
  onRecorded: (result: TrustEntryResult) => void;
}) {
  const { entityRef, config, onRecorded } = props;
  const { canRecord } = useTrustPermissions(entityRef);
  const [openDialog, setOpenDialog] = useState<'record' | 'preflight'>();
  const close = () => setOpenDialog(undefined);

  if (!canRecord) return null;
  return (
    <Box display="flex" style={{ gap: 8 }}>
      <Button
        variant="outlined"
        color="primary"
        size="small"
        startIcon={<AddIcon />}
        onClick={() => setOpenDialog('record')}
      >
        Record
      </Button>
      <Button
        variant="outlined"
        size="small"
        startIcon={<FlightTakeoffIcon />}
        onClick={() => setOpenDialog('preflight')}
      >
        Pre-flight
      </Button>
      {/* Mounted only while open, so every opening starts afresh. */}
      {openDialog === 'record' && (
        <RecordEntryDialog
          open
          entityRef={entityRef}
          config={config}
          onClose={close}
          onRecorded={result => {
            close();
            onRecorded(result);
          }}
        />
      )}
      {openDialog === 'preflight' && (
        <PreflightDialog
          open
          entityRef={entityRef}
          config={config}
          onClose={close}
        />
      )}
    </Box>
  );
}
