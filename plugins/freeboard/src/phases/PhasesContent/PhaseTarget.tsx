import { useApi } from '@backstage/core-plugin-api';
import { InitiativePhaseState } from '@freeboard/backstage-plugin-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import ErrorOutlineIcon from '@material-ui/icons/ErrorOutline';
import EventIcon from '@material-ui/icons/Event';
import { FormEvent, useEffect, useState } from 'react';
import { freeboardApiRef } from '../../shared';
import { daysUntil, describeDaysLeft, formatDay, phaseLabel } from '../format';
import { PanelProps } from '../panelProps';
import { usePhaseStyles } from '../styles';

/**
 * The selected phase's target date, with days left or overdue; leads set
 * and clear it here.
 */
export function PhaseTarget(
  props: Pick<PanelProps, 'entityRef' | 'editable' | 'act'> & {
    phase: InitiativePhaseState;
  },
) {
  const { entityRef, phase, editable, act } = props;
  const api = useApi(freeboardApiRef);
  const classes = usePhaseStyles();
  const saved = phase.targetDate ?? '';
  const [day, setDay] = useState(saved);
  const [saving, setSaving] = useState(false);
  // Follow the initiative when it changes (another phase, another write).
  useEffect(() => setDay(saved), [saved, phase.id]);

  const save = async (date: string | null) => {
    setSaving(true);
    await act('Could not set the target date', expectedVersion =>
      api.setPhaseTarget(entityRef, { phase: phase.id, date, expectedVersion }),
    );
    setSaving(false);
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (day && day !== saved) save(day);
  };

  const late =
    phase.targetDate && phase.status !== 'done'
      ? daysUntil(phase.targetDate) < 0
      : false;
  const summary = phase.targetDate ? (
    <Typography variant="body2" className={classes.inline}>
      {late ? (
        <ErrorOutlineIcon fontSize="small" className={classes.blockedIcon} />
      ) : (
        <EventIcon fontSize="small" />
      )}
      Target for {phaseLabel(phase.id)}: {formatDay(phase.targetDate)}
      {phase.status !== 'done' && ` · ${describeDaysLeft(phase.targetDate)}`}
    </Typography>
  ) : (
    <Typography variant="body2">
      No target date for {phaseLabel(phase.id)}.
    </Typography>
  );

  if (!editable) return summary;
  return (
    <Box>
      {summary}
      <form onSubmit={submit} className={classes.row}>
        <TextField
          id="freeboard-phase-target"
          label={`Target date of ${phaseLabel(phase.id)}`}
          type="date"
          value={day}
          onChange={e => setDay(e.target.value)}
          InputLabelProps={{ shrink: true }}
          variant="outlined"
          margin="dense"
        />
        {day && day !== saved && (
          <Button type="submit" color="primary" disabled={saving}>
            Save target
          </Button>
        )}
        {saved && (
          <Button onClick={() => save(null)} disabled={saving}>
            Clear target
          </Button>
        )}
      </form>
    </Box>
  );
}
