import { AuditorService, AuthService } from '@backstage/backend-plugin-api';
import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { PhaseService } from '../phases/PhaseService';
import { PortfolioService } from '../portfolio/service';
import { TrustService } from '../trust/TrustService';
import { TrustWriteService } from '../trust/TrustWriteService';
import { registerPhasesActions } from './phasesActions';
import { registerPortfolioActions } from './portfolioActions';
import { registerTrustActions } from './trustActions';

/**
 * Registers Freeboard's actions with the backend actions registry, which
 * serves them to AI assistants (through the MCP actions backend) and other
 * plugins. Each runs with the caller's credentials through the services the
 * HTTP routes use. An installation that lists no `freeboard` in
 * `backend.actions.pluginSources` does not expose them.
 */
export function registerFreeboardActions(options: {
  actionsRegistry: ActionsRegistryService;
  auth: AuthService;
  auditor: AuditorService;
  trust: { service: TrustService; writes: TrustWriteService };
  phases: { service: PhaseService };
  portfolio: { service: PortfolioService };
}) {
  const { actionsRegistry } = options;
  registerTrustActions({
    actionsRegistry,
    auth: options.auth,
    auditor: options.auditor,
    service: options.trust.service,
    writes: options.trust.writes,
  });
  registerPhasesActions({ actionsRegistry, service: options.phases.service });
  registerPortfolioActions({
    actionsRegistry,
    service: options.portfolio.service,
  });
}
