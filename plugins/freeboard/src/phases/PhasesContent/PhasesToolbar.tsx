import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import TextField from '@material-ui/core/TextField';
import { makeStyles } from '@material-ui/core/styles';
import GetAppIcon from '@material-ui/icons/GetApp';
import { useState } from 'react';
import {
  errorMessage,
  freeboardApiRef,
  PhasesReportFormat,
} from '../../shared';
import { refName, toDateInput } from '../format';
import { usePhaseStyles } from '../styles';

const EXPORTS: Array<{
  format: PhasesReportFormat;
  label: string;
  extension: string;
  type: string;
}> = [
  {
    format: 'markdown',
    label: 'Export Markdown',
    extension: 'md',
    type: 'text/markdown',
  },
  {
    format: 'json',
    label: 'Export JSON',
    extension: 'json',
    type: 'application/json',
  },
];

// The field sits on the page background, where the theme's secondary text
// colour is below WCAG AA contrast (axe, e2e-tests/mvpPhases.test.ts).
const useStyles = makeStyles(theme => ({
  legible: { color: theme.palette.text.primary },
}));

/** Saves `text` as a file through the browser's download. */
function download(text: string, fileName: string, type: string) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.appendChild(link);
  link.click();
  link.remove();
  URL.revokeObjectURL(url);
}

/**
 * Above the tab: the "As of" day to look at the past (empty for now), and
 * the steering report's downloads.
 */
export function PhasesToolbar(props: {
  entityRef: string;
  asOfDay: string;
  onAsOfDayChange: (day: string) => void;
  onError: (message: string) => void;
}) {
  const { entityRef, asOfDay, onAsOfDayChange, onError } = props;
  const api = useApi(freeboardApiRef);
  const classes = usePhaseStyles();
  const legibility = useStyles();
  const [exporting, setExporting] = useState<PhasesReportFormat>();

  const exportReport = async (choice: (typeof EXPORTS)[number]) => {
    setExporting(choice.format);
    try {
      const text = await api.getPhasesReport(entityRef, choice.format);
      download(
        text,
        `${refName(entityRef)}-mvp-phases.${choice.extension}`,
        choice.type,
      );
    } catch (e) {
      onError(`Could not export the report: ${errorMessage(e)}`);
    } finally {
      setExporting(undefined);
    }
  };

  return (
    <Box className={classes.row} justifyContent="space-between">
      <Box className={classes.row}>
        <TextField
          id="freeboard-phases-as-of"
          label="As of"
          type="date"
          value={asOfDay}
          onChange={e => onAsOfDayChange(e.target.value)}
          inputProps={{ max: toDateInput(new Date()) }}
          InputLabelProps={{
            shrink: true,
            classes: { root: legibility.legible },
          }}
          FormHelperTextProps={{ classes: { root: legibility.legible } }}
          helperText="Show the initiative as it was at the end of a past day"
          variant="outlined"
          margin="dense"
        />
      </Box>
      <Box className={classes.row}>
        {EXPORTS.map(choice => (
          <Button
            key={choice.format}
            variant="outlined"
            startIcon={<GetAppIcon />}
            disabled={exporting !== undefined}
            onClick={() => exportReport(choice)}
          >
            {choice.label}
          </Button>
        ))}
      </Box>
    </Box>
  );
}
