/*
 * Every run of a Freeboard scheduled task, one row each: which process ran
 * it, when, and how it ended. Operators see what ran, and tests can prove
 * that a global task ran once per period across replicas. Rows older than
 * 30 days are deleted by the task itself after each run.
 */

// @ts-check

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('freeboard_task_runs', table => {
    table.comment('Runs of the Freeboard scheduled tasks, one row per run');
    table.bigIncrements('id').primary();
    table
      .string('task_id', 128)
      .notNullable()
      .comment('The scheduled task, e.g. freeboard-decisions-history');
    table
      .string('instance', 255)
      .notNullable()
      .comment('The process that ran it: <hostname>:<pid>');
    table
      .timestamp('started_at', { useTz: true, precision: 3 })
      .notNullable()
      .comment('When the run started, by the clock of its process');
    table
      .timestamp('finished_at', { useTz: true, precision: 3 })
      .nullable()
      .comment('When it ended; null while running or if its process died');
    table
      .string('outcome', 16)
      .notNullable()
      .comment('running, succeeded or failed');
    table
      .text('error')
      .nullable()
      .comment('The error message of a failed run, truncated');
    // A task's runs in time order; retention deletes a task's oldest.
    table.index(['task_id', 'started_at'], 'freeboard_task_runs_task_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('freeboard_task_runs');
};
