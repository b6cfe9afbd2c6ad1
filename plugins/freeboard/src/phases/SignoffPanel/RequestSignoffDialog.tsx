import { useApi } from '@backstage/core-plugin-api';
import { MvpPhase } from '@freeboard/backstage-plugin-common';
import { useState } from 'react';
import { freeboardApiRef } from '../../shared';
import { ConsumerPicker } from '../../shared/ConsumerPicker';
import { phaseLabel } from '../format';
import { PanelProps } from '../panelProps';
import { PhaseDialog, settle } from '../PhaseDialog';

/** Asks a catalog group to sign off a phase. */
export function RequestSignoffDialog(
  props: Pick<PanelProps, 'entityRef' | 'run'> & {
    phase: MvpPhase;
    onClose: () => void;
  },
) {
  const { entityRef, phase, run, onClose } = props;
  const api = useApi(freeboardApiRef);
  const [groupRef, setGroupRef] = useState<string>();

  const submit = async () => {
    if (!groupRef) return 'Choose the group to ask.';
    const outcome = await run(expectedVersion =>
      api.requestPhaseSignoff(entityRef, { phase, groupRef, expectedVersion }),
    );
    return settle(outcome, onClose);
  };

  return (
    <PhaseDialog
      id="freeboard-request-signoff"
      title={`Request a sign-off on ${phaseLabel(phase)}`}
      description="The initiative cannot leave the phase until a member of the group approves."
      submitLabel="Request sign-off"
      onClose={onClose}
      onSubmit={submit}
    >
      <ConsumerPicker
        id="freeboard-signoff-group"
        label="Group"
        value={groupRef}
        onChange={setGroupRef}
      />
    </PhaseDialog>
  );
}
