/*
 * The portfolio: a top-level page with every platform capability, the
 * thickness meter and the panels that join the three instruments.
 */
export { PortfolioPage, PortfolioPageContent } from './PortfolioPage';
