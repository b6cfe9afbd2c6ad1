import { useApi } from '@backstage/core-plugin-api';
import Button from '@material-ui/core/Button';
import GetAppIcon from '@material-ui/icons/GetApp';
import { useState } from 'react';
import { errorMessage, freeboardApiRef } from '../../shared';
import { exportRequestOf, PortfolioView } from '../query';

/** The name the browser saves the export under. */
export const CSV_FILE_NAME = 'freeboard-portfolio.csv';

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
 * Downloads every capability of the filtered view (all pages, the current
 * sort) as CSV, the way the backend writes it.
 */
export function ExportCsvButton(props: {
  view: PortfolioView;
  onError: (message: string | undefined) => void;
}) {
  const { view, onError } = props;
  const api = useApi(freeboardApiRef);
  const [exporting, setExporting] = useState(false);

  const exportCsv = async () => {
    setExporting(true);
    onError(undefined);
    try {
      const csv = await api.exportPortfolioCsv(exportRequestOf(view));
      download(csv, CSV_FILE_NAME, 'text/csv;charset=utf-8');
    } catch (e) {
      onError(`Could not export the capabilities: ${errorMessage(e)}`);
    } finally {
      setExporting(false);
    }
  };

  return (
    <Button
      variant="outlined"
      startIcon={<GetAppIcon />}
      disabled={exporting}
      aria-busy={exporting}
      onClick={exportCsv}
    >
      Export CSV
    </Button>
  );
}
