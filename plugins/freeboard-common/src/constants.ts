/**
 * The plugin id of the Freeboard backend and frontend plugins.
 *
 * @public
 */
export const FREEBOARD_PLUGIN_ID = 'freeboard';

/**
 * Catalog annotations that record a platform capability's float-or-sink decision.
 *
 * @public
 */
export const FLOAT_OR_SINK_ANNOTATIONS = {
  /** `float` (retire in favour of the base platform) or `sink` (keep it). */
  decision: 'freeboard.dev/float-or-sink',
  /** The base-platform or vendor capability this one overlaps, free text. */
  baseCapability: 'freeboard.dev/base-capability',
  /** Why the decision was taken, free text. */
  rationale: 'freeboard.dev/rationale',
  /** The date (ISO 8601, `YYYY-MM-DD`) by which the decision is reviewed. */
  reviewBy: 'freeboard.dev/review-by',
  /** For a floating capability: an entity ref or a vendor product name. */
  replacedBy: 'freeboard.dev/replaced-by',
} as const;
