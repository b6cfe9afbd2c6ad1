/*
 * The portfolio: a copy of what the catalog says about each platform
 * capability (owner, system, decision, consumer teams) and of the group
 * hierarchy, refreshed by a scheduled task, so that a portfolio page is
 * answered from Freeboard's tables; and a log of each capability's thickness
 * category and weight, from which the daily trend is read.
 */

// @ts-check

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('freeboard_capabilities', table => {
    table.comment('Platform capabilities as last read from the catalog');
    table.string('entity_ref', 255).notNullable();
    table.string('kind', 63).notNullable();
    table.string('title', 255).notNullable();
    table.string('owner_ref', 255).nullable();
    table.string('system_ref', 255).nullable();
    table.string('decision', 8).nullable().comment('float or sink, if valid');
    table.text('base_capability').nullable();
    table.text('replaced_by').nullable();
    table.string('review_by', 10).nullable().comment('YYYY-MM-DD');
    table
      .text('problems')
      .nullable()
      .comment('The decision annotations’ problems as JSON, if invalid');
    table.integer('consumer_teams').notNullable().defaultTo(0);
    table.timestamp('refreshed_at', { useTz: true, precision: 3 }).notNullable();
    table.primary(['entity_ref'], 'freeboard_capabilities_pk');
    table.index(['owner_ref'], 'freeboard_capabilities_owner_idx');
    table.index(['system_ref'], 'freeboard_capabilities_system_idx');
  });

  await knex.schema.createTable('freeboard_capability_consumers', table => {
    table.comment('Teams depending on each capability, from the catalog');
    table.string('team_ref', 255).notNullable();
    table.string('entity_ref', 255).notNullable();
    table.primary(['team_ref', 'entity_ref'], 'freeboard_capability_consumers_pk');
    table.index(['entity_ref'], 'freeboard_capability_consumers_entity_idx');
  });

  await knex.schema.createTable('freeboard_groups', table => {
    table.comment('The catalog’s group hierarchy (childOf), for rollups');
    table.string('group_ref', 255).notNullable();
    table.string('parent_ref', 255).nullable();
    table.primary(['group_ref'], 'freeboard_groups_pk');
  });

  await knex.schema.createTable('freeboard_capability_log', table => {
    table.comment(
      'Each capability’s thickness category and weight, logged when they change',
    );
    table.string('entity_ref', 255).notNullable();
    table.string('day', 10).notNullable().comment('YYYY-MM-DD (UTC)');
    table
      .string('category', 10)
      .notNullable()
      .comment('unique, kept, floating, or none once it has no valid decision');
    table.integer('weight').notNullable();
    table.primary(['entity_ref', 'day'], 'freeboard_capability_log_pk');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('freeboard_capability_log');
  await knex.schema.dropTable('freeboard_groups');
  await knex.schema.dropTable('freeboard_capability_consumers');
  await knex.schema.dropTable('freeboard_capabilities');
};
