/*
 * MVP phases: every change to an initiative is an append-only event, and the
 * fold of its events (the projection) is kept beside them in the same
 * transaction, so a read is one row and any past state can be replayed.
 * Daily adoption snapshots give each team an "adopted since" date and the
 * adoption curve.
 *
 * Timestamps are bound as JS Dates: PostgreSQL stores them as timestamptz
 * (precision 3 = the milliseconds a Date holds), SQLite as epoch
 * milliseconds, so ISO strings round-trip exactly on both engines.
 */

// @ts-check

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('freeboard_phase_initiatives', table => {
    table.comment(
      'MVP initiatives: the projection of their events, one row each',
    );
    table.string('entity_ref', 255).notNullable();
    // The version of the last event folded in: appends check and bump it.
    table.integer('version').notNullable();
    table.integer('iteration').notNullable();
    table.string('phase', 20).notNullable();
    table.text('record').notNullable().comment('The InitiativeRecord as JSON');
    table.timestamp('started_at', { useTz: true, precision: 3 }).notNullable();
    table.timestamp('updated_at', { useTz: true, precision: 3 }).notNullable();
    table.primary(['entity_ref'], 'freeboard_phase_initiatives_pk');
  });

  await knex.schema.createTable('freeboard_phase_events', table => {
    table.comment('The append-only history of every MVP initiative');
    table.bigIncrements('id').primary();
    table.string('entity_ref', 255).notNullable();
    table.integer('version').notNullable();
    table.string('type', 40).notNullable();
    table.timestamp('occurred_at', { useTz: true, precision: 3 }).notNullable();
    table.string('actor_ref', 255).notNullable();
    table.text('reason').nullable();
    table.text('data').notNullable().comment('The PhaseEventData as JSON');
    // One event per version: a second writer of the same version fails here
    // even if the row lock were bypassed. Also serves history by version.
    table.unique(['entity_ref', 'version'], {
      indexName: 'freeboard_phase_events_version_uq',
    });
    table.index(
      ['entity_ref', 'occurred_at'],
      'freeboard_phase_events_time_idx',
    );
  });

  await knex.schema.createTable('freeboard_phase_adoption', table => {
    table.comment('Teams the daily snapshots saw adopt an entity');
    table.string('entity_ref', 255).notNullable();
    table.string('team_ref', 255).notNullable();
    table
      .timestamp('adopted_since', { useTz: true, precision: 3 })
      .notNullable();
    table.timestamp('lost_at', { useTz: true, precision: 3 }).nullable();
    table.primary(['entity_ref', 'team_ref'], 'freeboard_phase_adoption_pk');
  });

  await knex.schema.createTable('freeboard_phase_adoption_days', table => {
    table.comment('Adopted-team counts per entity and UTC day: the curve');
    table.string('entity_ref', 255).notNullable();
    table.string('day', 10).notNullable().comment('YYYY-MM-DD (UTC)');
    table.integer('adopted').notNullable();
    table.primary(['entity_ref', 'day'], 'freeboard_phase_adoption_days_pk');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('freeboard_phase_adoption_days');
  await knex.schema.dropTable('freeboard_phase_adoption');
  await knex.schema.dropTable('freeboard_phase_events');
  await knex.schema.dropTable('freeboard_phase_initiatives');
};
