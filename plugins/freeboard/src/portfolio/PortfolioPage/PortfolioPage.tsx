import { Content, Header, Page } from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';
import { PortfolioContent } from './PortfolioContent';

const QUESTION = 'How is our platform doing as a product?';

/**
 * The portfolio page of the legacy frontend system, with its own header:
 * every platform capability at a glance.
 */
export function PortfolioPage() {
  return (
    <Page themeId="tool">
      <Header title="Freeboard" subtitle={QUESTION} />
      <Content>
        <PortfolioContent />
      </Content>
    </Page>
  );
}

/**
 * The portfolio page's body for the new frontend system, where the app
 * draws the page header (the plugin's title and icon).
 */
export function PortfolioPageContent() {
  return (
    <Content>
      {/* On the page background: primary text keeps WCAG AA contrast. */}
      <Typography variant="h5" component="h2" color="textPrimary" paragraph>
        {QUESTION}
      </Typography>
      <PortfolioContent />
    </Content>
  );
}
