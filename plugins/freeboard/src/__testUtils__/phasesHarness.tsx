import {
  phasesManagePermission,
  phasesSignoffPermission,
} from '@freeboard/backstage-plugin-common';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { screen } from '@testing-library/react';
import { PhasesContent } from '../phases/PhasesContent';
import { mockFreeboardApi, renderWithApis } from './fixtures';

/**
 * Renders the Phases tab and waits until the initiative shows. By default
 * the user may manage and sign off, and is a member of no group.
 */
export async function renderPhasesTab(
  options: {
    api?: ReturnType<typeof mockFreeboardApi>;
    canManage?: boolean;
    canSignoff?: boolean;
    memberOf?: string[];
    /** Text to wait for; the stepper card's title by default. */
    waitFor?: string | RegExp;
  } = {},
) {
  const api = options.api ?? mockFreeboardApi();
  const { canManage = true, canSignoff = true } = options;
  const rendered = await renderWithApis(<PhasesContent />, {
    api,
    authorize: request => {
      if (request.permission.name === phasesManagePermission.name) {
        return canManage ? AuthorizeResult.ALLOW : AuthorizeResult.DENY;
      }
      if (request.permission.name === phasesSignoffPermission.name) {
        return canSignoff ? AuthorizeResult.ALLOW : AuthorizeResult.DENY;
      }
      return AuthorizeResult.ALLOW;
    },
    ownershipEntityRefs: ['user:default/guest', ...(options.memberOf ?? [])],
  });
  await screen.findByText(options.waitFor ?? 'Integration · iteration 1');
  return { api, rendered };
}
