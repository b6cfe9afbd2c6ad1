import { useApi } from '@backstage/core-plugin-api';
import {
  InitiativeState,
  PhaseBlocker,
  PhaseWriteResult,
} from '@freeboard/backstage-plugin-common';
import { useCallback, useEffect, useRef, useState } from 'react';
import { errorMessage, freeboardApiRef, PhaseConflictError } from '../shared';

/** How a write ended, for the dialog or button that made it. */
export type WriteOutcome =
  | { status: 'done' }
  /** Someone else changed the initiative first; the latest state is shown. */
  | { status: 'stale' }
  /** The advance is blocked; the blockers are in the notice and the state. */
  | { status: 'blocked'; blockers: PhaseBlocker[] }
  | { status: 'failed'; message: string };

/** A message about the whole initiative, shown above the tab's panels. */
export interface PhaseNotice {
  severity: 'info' | 'warning' | 'error';
  message: string;
  blockers?: PhaseBlocker[];
}

/** A write of the initiative, given the version it was based on. */
export type PhaseWrite = (expectedVersion: number) => Promise<PhaseWriteResult>;

export const STALE_MESSAGE =
  'Someone changed this initiative; showing the latest.';

function isPhaseConflict(error: unknown): error is PhaseConflictError {
  return (
    error instanceof PhaseConflictError ||
    (error instanceof Error && error.name === 'PhaseConflictError')
  );
}

/**
 * The entity's initiative (now, or as of a past time) and the means to change
 * it. Every write is given the version on screen as its `expectedVersion`
 * and puts the state it answers on screen; a 409 puts the state that came
 * with it on screen instead and says why. `revision` changes after every
 * write and conflict, so dependants (the history) reload.
 */
export function useInitiative(entityRef: string, asOf?: string) {
  const api = useApi(freeboardApiRef);
  const [state, setStateValue] = useState<InitiativeState>();
  const [error, setError] = useState<Error>();
  const [loading, setLoading] = useState(true);
  const [revision, setRevision] = useState(0);
  const [notice, setNotice] = useState<PhaseNotice>();
  // Writes read the version from here, so a write started right after
  // another one finished uses the newer version.
  const current = useRef<InitiativeState>();
  // Only the latest load may write: an older answer arriving late (after
  // "as of" changed) must not overwrite the newer one.
  const latestLoad = useRef(0);

  const setState = useCallback((next: InitiativeState) => {
    current.current = next;
    setStateValue(next);
  }, []);

  const load = useCallback(async () => {
    const loadId = ++latestLoad.current;
    setLoading(true);
    try {
      const next = await api.getInitiative(entityRef, asOf ? { asOf } : {});
      if (loadId !== latestLoad.current) return;
      setError(undefined);
      setState(next);
    } catch (e) {
      if (loadId !== latestLoad.current) return;
      setError(e instanceof Error ? e : new Error(String(e)));
    } finally {
      if (loadId === latestLoad.current) setLoading(false);
    }
  }, [api, entityRef, asOf, setState]);

  useEffect(() => {
    load();
  }, [load]);

  const run = useCallback(
    async (write: PhaseWrite): Promise<WriteOutcome> => {
      try {
        const result = await write(current.current?.version ?? 0);
        setState(result.state);
        setRevision(r => r + 1);
        setNotice(undefined);
        return { status: 'done' };
      } catch (e) {
        if (!isPhaseConflict(e)) {
          return { status: 'failed', message: errorMessage(e) };
        }
        // The initiative changed, or its state came along: show it.
        setRevision(r => r + 1);
        if (e.state) setState(e.state);
        else if (e.stale || e.blocked) load();
        if (e.stale) {
          setNotice({ severity: 'warning', message: STALE_MESSAGE });
          return { status: 'stale' };
        }
        if (e.blocked) {
          setNotice({
            severity: 'error',
            message: 'The initiative cannot advance yet:',
            blockers: e.blockers,
          });
          return { status: 'blocked', blockers: e.blockers };
        }
        return { status: 'failed', message: e.message };
      }
    },
    [load, setState],
  );

  /**
   * `run`, with a failure shown in the notice: for actions without a dialog
   * of their own to show it in. `what` names the action ("Could not tick").
   */
  const act = useCallback(
    async (what: string, write: PhaseWrite): Promise<WriteOutcome> => {
      const outcome = await run(write);
      if (outcome.status === 'failed') {
        setNotice({
          severity: 'error',
          message: `${what}: ${outcome.message}`,
        });
      }
      return outcome;
    },
    [run],
  );

  return {
    state,
    error,
    loading,
    revision,
    notice,
    dismissNotice: () => setNotice(undefined),
    reload: load,
    run,
    act,
  };
}

/** What {@link useInitiative} returns. */
export type InitiativeHandle = ReturnType<typeof useInitiative>;
