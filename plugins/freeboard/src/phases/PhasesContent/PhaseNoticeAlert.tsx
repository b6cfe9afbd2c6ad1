import Alert from '@material-ui/lab/Alert';
import { PhaseNotice } from '../useInitiative';

/**
 * A message about the whole initiative: a write that failed, someone else's
 * change, or what blocks an advance.
 */
export function PhaseNoticeAlert(props: {
  notice: PhaseNotice;
  onClose: () => void;
}) {
  const { notice, onClose } = props;
  return (
    <Alert severity={notice.severity} role="alert" onClose={onClose}>
      {notice.message}
      {notice.blockers && notice.blockers.length > 0 && (
        <ul>
          {notice.blockers.map(blocker => (
            <li key={`${blocker.kind}:${blocker.id}`}>{blocker.title}</li>
          ))}
        </ul>
      )}
    </Alert>
  );
}
