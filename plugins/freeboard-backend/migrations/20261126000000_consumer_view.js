/*
 * The consumer view reads the trust ledger from a consumer team's side: its
 * balance with every capability and its latest charge on each. The ledger's
 * indexes lead with the entity, so without these a team's capabilities were
 * found by scanning every per-consumer total, and its charges by reading
 * every entry of those capabilities.
 */

// @ts-check

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('trust_consumer_totals', table => {
    table.index(
      ['consumer_id', 'entity_id'],
      'trust_consumer_totals_consumer_idx',
    );
  });
  // Entries without a consumer (pulses, work for everyone) are left out.
  // Also serves an entity's entries filtered by consumer.
  await knex.schema.alterTable('trust_entries', table => {
    table.index(
      ['consumer_id', 'entity_id', 'occurred_at', 'id'],
      'trust_entries_consumer_idx',
      { predicate: knex.whereNotNull('consumer_id') },
    );
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('trust_entries', table => {
    table.dropIndex([], 'trust_entries_consumer_idx');
  });
  await knex.schema.alterTable('trust_consumer_totals', table => {
    table.dropIndex([], 'trust_consumer_totals_consumer_idx');
  });
};
