/*
 * Float-or-sink decision history: what the recorder saw change in each
 * entity's decision annotations, as append-only events, and the last values
 * it saw per entity, which the next run compares the catalog against.
 *
 * Timestamps are bound as JS Dates, as in the phases tables: timestamptz
 * with millisecond precision on PostgreSQL, epoch milliseconds on SQLite.
 */

// @ts-check

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('freeboard_decision_events', table => {
    table.comment('Changes of float-or-sink decision annotations, append-only');
    table.bigIncrements('id').primary();
    table.string('entity_ref', 255).notNullable();
    table
      .string('type', 20)
      .notNullable()
      .comment('first-seen, changed, removed, entity-gone or invalid');
    table.string('field', 40).nullable().comment('The changed annotation');
    table.text('old_value').nullable();
    table.text('new_value').nullable();
    table.text('problems').nullable().comment('The parser problems as JSON');
    table.timestamp('observed_at', { useTz: true, precision: 3 }).notNullable();
    // An entity's history, newest first, paged by id.
    table.index(['entity_ref', 'id'], 'freeboard_decision_events_entity_idx');
  });

  await knex.schema.createTable('freeboard_decision_state', table => {
    table.comment(
      'The decision annotations each entity carried when last seen',
    );
    table.string('entity_ref', 255).notNullable();
    table
      .text('annotations')
      .notNullable()
      .comment('The five annotation values last seen, as JSON');
    table
      .text('problems')
      .nullable()
      .comment('The parser problems last recorded, as JSON');
    table.timestamp('observed_at', { useTz: true, precision: 3 }).notNullable();
    table.primary(['entity_ref'], 'freeboard_decision_state_pk');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('freeboard_decision_state');
  await knex.schema.dropTable('freeboard_decision_events');
};
