import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';

/** A panel whose data is loading, or failed to load. */
export function PanelPlaceholder(props: {
  title: string;
  error?: Error;
  errorTitle: string;
}) {
  return (
    <InfoCard title={props.title}>
      {props.error ? (
        <ResponseErrorPanel error={props.error} title={props.errorTitle} />
      ) : (
        <Progress />
      )}
    </InfoCard>
  );
}
