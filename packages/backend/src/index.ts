/*
 * The Freeboard demo backend: the catalog with the sample data in examples/,
 * guest sign-in, the permission framework with the demo policy, the
 * Freeboard suite, and the notifications, signals, MCP actions and
 * scaffolder backends it speaks to.
 */

import { createBackend } from '@backstage/backend-defaults';
import { demoDecisionsSeedModule } from './decisionsSeed';
import { demoSeedModule } from './demoSeed';
import { permissionPolicyModule } from './permissionPolicy';
import { demoPhasesSeedModule } from './phasesSeed';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));

backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));

backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(import('@freeboard/backstage-plugin-catalog-backend-module'));

backend.add(import('@backstage/plugin-permission-backend'));
backend.add(permissionPolicyModule);

backend.add(import('@freeboard/backstage-plugin-backend'));

// Where Freeboard reaches people: the bell, AI assistants and templates.
backend.add(import('@backstage/plugin-notifications-backend'));
backend.add(import('@backstage/plugin-signals-backend'));
backend.add(import('@backstage/plugin-mcp-actions-backend'));
backend.add(import('@backstage/plugin-scaffolder-backend'));
// The Template kind, for the sample template in examples/templates.
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);
backend.add(import('@freeboard/backstage-plugin-scaffolder-backend-module'));
// Demo only: realistic trust-credit history, MVP initiatives and months of
// float-or-sink decisions on an empty database.
backend.add(demoSeedModule);
backend.add(demoPhasesSeedModule);
backend.add(demoDecisionsSeedModule);

backend.start();
