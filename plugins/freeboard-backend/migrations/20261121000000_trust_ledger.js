/*
 * Trust credits: an append-only ledger plus running aggregates that writes keep
 * up to date, so that reads never scan the ledger.
 *
 * Aggregates are "forward-decayed": each entry adds sign * amount *
 * 2^((occurredAt - landmark) / halfLife), so a balance at time t is the stored
 * sum times 2^(-(t - landmark) / halfLife). The landmark is shared by all rows.
 */

// @ts-check

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  // Entity refs (entities, consumers, recorders) are stored once and referred
  // to by integer id: the ledger holds a million rows, the refs a few thousand.
  await knex.schema.createTable('freeboard_refs', table => {
    table.comment('Catalog entity refs used by the Freeboard tables');
    table.increments('id').primary();
    table
      .string('ref', 255)
      .notNullable()
      .unique({ indexName: 'freeboard_refs_ref_uq' });
    // Set while a ledger's entity is missing from the catalog; its ledger is
    // deleted once this is older than the retention period.
    table.timestamp('missing_since', { useTz: true }).nullable();
  });

  await knex.schema.createTable('trust_entries', table => {
    table.comment('The append-only trust-credit ledger');
    table.bigIncrements('id').primary();
    table.integer('entity_id').notNullable();
    table.string('direction', 8).notNullable();
    table.string('category', 64).notNullable();
    table.double('amount').notNullable();
    table.string('title', 200).notNullable();
    table.text('description').nullable();
    table.integer('consumer_id').nullable();
    table.text('evidence_url').nullable();
    table.timestamp('occurred_at', { useTz: true }).notNullable();
    table.timestamp('recorded_at', { useTz: true }).notNullable();
    table.integer('recorded_by_id').notNullable();
    table.string('source', 64).notNullable();
    table.bigInteger('reverts_entry_id').nullable();
    table.index(
      ['entity_id', 'occurred_at', 'id'],
      'trust_entries_entity_time_idx',
    );
  });
  // An entry can be reverted once; the partial index keeps the ledger's
  // storage small since almost no entries are corrections.
  await knex.schema.alterTable('trust_entries', table => {
    table.unique(['reverts_entry_id'], {
      indexName: 'trust_entries_reverts_uq',
      predicate: knex.whereNotNull('reverts_entry_id'),
    });
  });

  await knex.schema.createTable('trust_landmark', table => {
    table.comment(
      'The landmark time and half-life of every forward-decayed sum',
    );
    table.integer('id').primary();
    table.double('landmark_ms').notNullable();
    table.double('half_life_days').notNullable();
  });

  await knex.schema.createTable('trust_totals', table => {
    table.comment('Forward-decayed sums per entity');
    table.integer('entity_id').primary();
    table.double('earned_fwd').notNullable().defaultTo(0);
    table.double('spent_fwd').notNullable().defaultTo(0);
    table.double('balance_fwd').notNullable().defaultTo(0);
    table.integer('entry_count').notNullable().defaultTo(0);
    table.timestamp('last_entry_at', { useTz: true }).nullable();
    table.index(['balance_fwd', 'entity_id'], 'trust_totals_balance_idx');
  });

  await knex.schema.createTable('trust_consumer_totals', table => {
    table.comment('Forward-decayed balances per entity and consumer');
    table.integer('entity_id').notNullable();
    table.integer('consumer_id').notNullable();
    table.double('balance_fwd').notNullable().defaultTo(0);
    table.integer('entry_count').notNullable().defaultTo(0);
    // The primary key also serves "lowest consumers of an entity": an entity
    // has tens of consumers, sorted cheaply; a second index would cost more
    // storage per ledger entry than it saves time.
    table.primary(['entity_id', 'consumer_id'], 'trust_consumer_totals_pk');
  });

  await knex.schema.createTable('trust_daily', table => {
    table.comment(
      'Forward-decayed balance change per entity and UTC day, for trends',
    );
    table.integer('entity_id').notNullable();
    table.integer('day').notNullable().comment('Days since 1970-01-01 (UTC)');
    table.double('balance_fwd').notNullable().defaultTo(0);
    // Trends read at most the last 365 days and take older history from the
    // entity's total, so maintenance deletes days older than that.
    table.primary(['entity_id', 'day'], 'trust_daily_pk');
  });

  await knex.schema.createTable('trust_pulses', table => {
    table.comment(
      'Counted feedback pulses: one per user, entity and 7-day window',
    );
    table.bigIncrements('id').primary();
    table.integer('entity_id').notNullable();
    table.integer('user_id').notNullable();
    table.string('sentiment', 8).notNullable();
    table.bigInteger('entry_id').notNullable();
    table.timestamp('window_start', { useTz: true }).notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.index(
      ['entity_id', 'user_id', 'window_start'],
      'trust_pulses_user_idx',
    );
    table.index(['entity_id', 'updated_at'], 'trust_pulses_entity_idx');
  });

  await knex.schema.createTable('trust_idempotency', table => {
    table.comment('Idempotency keys of recent writes, kept for a day');
    table.integer('user_id').notNullable();
    table.string('idempotency_key', 255).notNullable();
    table.string('request_hash', 64).notNullable();
    table.bigInteger('entry_id').nullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.primary(['user_id', 'idempotency_key'], 'trust_idempotency_pk');
    table.index(['created_at'], 'trust_idempotency_created_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('trust_idempotency');
  await knex.schema.dropTable('trust_pulses');
  await knex.schema.dropTable('trust_daily');
  await knex.schema.dropTable('trust_consumer_totals');
  await knex.schema.dropTable('trust_totals');
  await knex.schema.dropTable('trust_landmark');
  await knex.schema.dropTable('trust_entries');
  await knex.schema.dropTable('freeboard_refs');
};
