import { useApi } from '@backstage/core-plugin-api';
import {
  PulseSentiment,
  TrustSummary,
} from '@freeboard/backstage-plugin-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import ThumbDownOutlinedIcon from '@material-ui/icons/ThumbDownOutlined';
import ThumbUpOutlinedIcon from '@material-ui/icons/ThumbUpOutlined';
import { FormEvent, useEffect, useRef, useState } from 'react';
import { errorMessage, freeboardApiRef } from '../../shared';

/**
 * One-click feedback: "This helped" / "This hurt". A pulse counts once per
 * person and week, so a second click replaces the first; an optional comment
 * can follow the click instead of slowing it down. Once sent, the pulse can
 * be withdrawn ("Withdraw my pulse"); pulses are never reverted.
 */
export function PulseButtons(props: {
  entityRef: string;
  /** This week's counts, shown under the buttons; left out when absent. */
  pulses?: TrustSummary['pulses'];
  canPulse: boolean;
  /**
   * What the pulse is about, e.g. a capability's title, where a page shows
   * several pairs of buttons: it is added to their accessible names
   * ("This helped: CI pipelines") so each pair can be told apart.
   */
  subject?: string;
  /** Called after a pulse was sent or withdrawn: the counts changed. */
  onChange: () => void;
}) {
  const { entityRef, pulses, canPulse, subject, onChange } = props;
  const named = (label: string) =>
    subject ? { 'aria-label': `${label}: ${subject}` } : {};
  const api = useApi(freeboardApiRef);
  // Unique per entity, in case a page shows cards of several (React 17,
  // which the plugin supports, has no useId).
  const countsId = `freeboard-pulse-counts-${entityRef}`;
  const [sending, setSending] = useState(false);
  const [sent, setSent] = useState<{
    sentiment: PulseSentiment;
    replaced: boolean;
  }>();
  // What the last withdrawal found: whether there was a pulse to withdraw.
  const [withdrawal, setWithdrawal] = useState<{ withdrawn: boolean }>();
  const [error, setError] = useState<string>();
  const [commenting, setCommenting] = useState(false);
  const [comment, setComment] = useState('');
  const commentInput = useRef<HTMLInputElement>(null);
  const upButton = useRef<HTMLButtonElement>(null);
  const downButton = useRef<HTMLButtonElement>(null);
  // The pulse button to move focus to once it is enabled again.
  const [refocus, setRefocus] = useState<PulseSentiment>();

  // "Add a comment" replaces itself with the field: move focus there, so
  // keyboard users are not left on a button that no longer exists.
  useEffect(() => {
    if (commenting) commentInput.current?.focus();
  }, [commenting]);

  // "Withdraw my pulse" disappears once it worked: put keyboard users back
  // on the button they sent the pulse with, so they can send another.
  useEffect(() => {
    if (!refocus || sending) return;
    (refocus === 'up' ? upButton : downButton).current?.focus();
    setRefocus(undefined);
  }, [refocus, sending]);

  const send = async (sentiment: PulseSentiment, withComment?: string) => {
    setSending(true);
    setError(undefined);
    try {
      const result = await api.sendPulse(entityRef, {
        sentiment,
        comment: withComment,
      });
      setSent({ sentiment, replaced: result.replaced });
      setWithdrawal(undefined);
      onChange();
      return true;
    } catch (e) {
      setError(`Could not send your pulse: ${errorMessage(e)}`);
      return false;
    } finally {
      setSending(false);
    }
  };

  const withdraw = async () => {
    if (!sent) return;
    setSending(true);
    setError(undefined);
    try {
      const result = await api.withdrawPulse(entityRef);
      setSent(undefined);
      setCommenting(false);
      setComment('');
      setWithdrawal({ withdrawn: result.withdrawn });
      setRefocus(sent.sentiment);
      onChange();
    } catch (e) {
      setError(`Could not withdraw your pulse: ${errorMessage(e)}`);
    } finally {
      setSending(false);
    }
  };

  const sendComment = async (event: FormEvent) => {
    event.preventDefault();
    if (!sent || !comment.trim()) return;
    if (await send(sent.sentiment, comment.trim())) {
      setCommenting(false);
      setComment('');
    }
  };

  const week = pulses?.last7Days;
  const describedBy = week ? countsId : undefined;
  return (
    <Box>
      {canPulse && (
        <Box display="flex" flexWrap="wrap" style={{ gap: 8 }}>
          <Button
            size="small"
            variant="outlined"
            startIcon={<ThumbUpOutlinedIcon />}
            aria-describedby={describedBy}
            {...named('This helped')}
            ref={upButton}
            disabled={sending}
            onClick={() => send('up')}
          >
            This helped
          </Button>
          <Button
            size="small"
            variant="outlined"
            startIcon={<ThumbDownOutlinedIcon />}
            aria-describedby={describedBy}
            {...named('This hurt')}
            ref={downButton}
            disabled={sending}
            onClick={() => send('down')}
          >
            This hurt
          </Button>
        </Box>
      )}
      {week && (
        <Typography id={countsId} variant="caption" color="textSecondary">
          This week: {week.up} helped, {week.down} hurt
        </Typography>
      )}
      <div role="status">
        {sent && !commenting && (
          <Typography variant="body2">
            Thanks, your pulse counts for this week
            {sent.replaced ? ' (it replaces your earlier one)' : ''}.{' '}
            <Button
              size="small"
              color="primary"
              onClick={() => setCommenting(true)}
              {...named('Add a comment')}
            >
              Add a comment
            </Button>
          </Typography>
        )}
        {withdrawal && (
          <Typography variant="body2">
            {withdrawal.withdrawn
              ? 'Your pulse is withdrawn; it no longer counts.'
              : 'You had no pulse counted this week, so nothing was withdrawn.'}
          </Typography>
        )}
      </div>
      {error && (
        <Typography variant="body2" color="error" role="alert">
          {error}
        </Typography>
      )}
      {sent && commenting && (
        <form onSubmit={sendComment}>
          <Box display="flex" alignItems="center" style={{ gap: 8 }}>
            <TextField
              id={`freeboard-pulse-comment-${entityRef}`}
              label={subject ? `Comment on ${subject}` : 'Comment'}
              value={comment}
              onChange={e => setComment(e.target.value)}
              inputProps={{ maxLength: 1000 }}
              size="small"
              margin="dense"
              variant="outlined"
              fullWidth
              inputRef={commentInput}
            />
            <Button
              type="submit"
              size="small"
              color="primary"
              disabled={sending}
              {...named('Send')}
            >
              Send
            </Button>
          </Box>
        </form>
      )}
      {sent && (
        <Button
          size="small"
          disabled={sending}
          onClick={withdraw}
          {...named('Withdraw my pulse')}
        >
          Withdraw my pulse
        </Button>
      )}
    </Box>
  );
}
