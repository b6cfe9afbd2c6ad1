/*
 * Shared state of the backend replicas: the secret that seals cursors (every
 * replica must open the cursors the others hand out) and short leases that
 * let one replica at a time run work such as a module's ledger task.
 */

// @ts-check

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('freeboard_secrets', table => {
    table.comment('Secrets shared by every replica of the Freeboard backend');
    table.string('name', 64).notNullable();
    table.string('value', 255).notNullable();
    table.primary(['name'], 'freeboard_secrets_pk');
  });

  await knex.schema.createTable('freeboard_locks', table => {
    table.comment('Leases that let one replica at a time run a piece of work');
    table.string('name', 128).notNullable();
    table.string('holder', 64).notNullable();
    table.timestamp('expires_at', { useTz: true }).notNullable();
    table.primary(['name'], 'freeboard_locks_pk');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('freeboard_locks');
  await knex.schema.dropTable('freeboard_secrets');
};
