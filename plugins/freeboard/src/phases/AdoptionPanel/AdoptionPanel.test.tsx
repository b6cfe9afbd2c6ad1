import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ENTITY_REF } from '../../__testUtils__/fixtures';
import { renderPhasesTab } from '../../__testUtils__/phasesHarness';
import { startedState } from '../../__testUtils__/phasesFixtures';
import { cohortTargets, describeAdoptionChart } from './AdoptionChart';

describe('AdoptionPanel', () => {
  it('shows each team’s adoption in words, with its cohort', async () => {
    await renderPhasesTab();
    const table = within(
      screen.getByRole('table', { name: 'Adoption per team' }),
    );
    const row = (team: string) => within(table.getByText(team).closest('tr')!);
    expect(
      row('team-payments').getByText(/Adopted since .*2024/),
    ).toBeInTheDocument();
    expect(row('team-payments').getByText('Wave 1')).toBeInTheDocument();
    expect(row('team-payments').getByText('payments-api')).toBeInTheDocument();
    expect(row('team-search').getByText('Not yet')).toBeInTheDocument();
    expect(row('team-mobile').getByText(/Lost on .*2024/)).toBeInTheDocument();
  });

  it('lists the cohorts with their measured adoption and targets', async () => {
    await renderPhasesTab();
    const table = within(screen.getByRole('table', { name: 'Cohorts' }));
    const wave1 = within(table.getByText('1. Wave 1').closest('tr')!);
    expect(wave1.getByText('1 of 2')).toBeInTheDocument();
    expect(wave1.getByText(/days overdue/)).toBeInTheDocument();
    expect(
      screen.getByRole('img', { name: /^Adopted teams over time: from 1/ }),
    ).toBeInTheDocument();
  });

  it('adds a cohort with a name, target date and teams', async () => {
    const { api } = await renderPhasesTab();
    await userEvent.click(screen.getByRole('button', { name: 'Add cohort' }));
    const dialog = within(
      await screen.findByRole('dialog', { name: 'Add a cohort' }),
    );
    expect(dialog.getByLabelText(/Name/)).toHaveValue('Wave 3');
    await userEvent.type(dialog.getByLabelText(/Target date/), '2099-12-01');
    await userEvent.click(dialog.getByRole('button', { name: 'Add cohort' }));
    expect(dialog.getByRole('alert')).toHaveTextContent(
      'Choose at least one team.',
    );
    await userEvent.click(dialog.getByLabelText('Teams'));
    await userEvent.click(await screen.findByText('Mobile'));
    await userEvent.click(dialog.getByRole('button', { name: 'Add cohort' }));
    expect(api.addAdoptionCohort).toHaveBeenCalledWith(ENTITY_REF, {
      name: 'Wave 3',
      targetDate: '2099-12-01',
      teamRefs: ['group:default/team-mobile'],
      expectedVersion: 12,
    });
  });

  it('edits and removes cohorts', async () => {
    const { api } = await renderPhasesTab();
    await userEvent.click(screen.getByRole('button', { name: 'Edit Wave 2' }));
    const dialog = within(
      await screen.findByRole('dialog', { name: 'Edit Wave 2' }),
    );
    await userEvent.click(dialog.getByRole('button', { name: 'Save cohort' }));
    expect(api.updateAdoptionCohort).toHaveBeenCalledWith(
      ENTITY_REF,
      'cohort-6',
      {
        name: 'Wave 2',
        targetDate: '2099-09-01',
        teamRefs: ['group:default/team-mobile'],
        expectedVersion: 12,
      },
    );
    await userEvent.click(
      await screen.findByRole('button', { name: 'Remove Wave 1' }),
    );
    expect(api.removeAdoptionCohort).toHaveBeenCalledWith(
      ENTITY_REF,
      'cohort-5',
      { expectedVersion: 12 },
    );
  });

  it('chooses the pioneer team', async () => {
    const { api } = await renderPhasesTab();
    await userEvent.click(screen.getByLabelText('Pioneer team'));
    await userEvent.click(await screen.findByText('Search'));
    expect(api.setPioneerTeam).toHaveBeenCalledWith(ENTITY_REF, {
      teamRef: 'group:default/team-search',
      expectedVersion: 12,
    });
  });
});

describe('adoption chart', () => {
  it('sums the cohorts’ teams into cumulative targets, in order', () => {
    expect(cohortTargets(startedState.cohorts)).toEqual([
      { name: 'Wave 1', day: '2024-06-01', teams: 2 },
      { name: 'Wave 2', day: '2099-09-01', teams: 3 },
    ]);
  });

  it('describes the curve and the targets in words', () => {
    expect(
      describeAdoptionChart(startedState.adoption.curve, startedState.cohorts),
    ).toMatch(
      /^Adopted teams over time: from 1 on .*2024 to 1 on .*2024; targets: Wave 1, 2 teams by .*; Wave 2, 3 teams by .*\.$/,
    );
  });
});
