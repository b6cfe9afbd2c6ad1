export { PortfolioPage, PortfolioPageContent } from './PortfolioPage';
