/*
 * Notifications that remind people of something that became true over time
 * (a review gone overdue, a waiver about to expire) are found by a scheduled
 * task. This table remembers which of those events were sent, one row per
 * event key, so a re-run or a second replica never sends one twice.
 */

// @ts-check

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('freeboard_notifications_sent', table => {
    table.comment('Time-based notification events already sent, once each');
    table
      .string('event_key', 512)
      .notNullable()
      .comment('What happened to what, e.g. review-overdue:<ref>:<date>');
    table.string('kind', 64).notNullable().comment('The notification kind');
    table
      .string('entity_ref', 255)
      .notNullable()
      .comment('The entity the event is about');
    table
      .timestamp('sent_at', { useTz: true, precision: 3 })
      .notNullable()
      .comment('When it was claimed for sending');
    table.unique(['event_key'], {
      indexName: 'freeboard_notifications_sent_key_uniq',
    });
    // Retention deletes by age.
    table.index(['sent_at'], 'freeboard_notifications_sent_at_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('freeboard_notifications_sent');
};
