import { InitiativeState } from '@freeboard/backstage-plugin-common';
import { InitiativeHandle } from './useInitiative';

/** What each panel of the Phases tab is given. */
export interface PanelProps {
  entityRef: string;
  state: InitiativeState;
  /**
   * Whether the user may change the initiative here: allowed to manage it,
   * and looking at now rather than the past. Read-only panels hide their
   * actions instead of disabling them.
   */
  editable: boolean;
  run: InitiativeHandle['run'];
  act: InitiativeHandle['act'];
}
