export interface Config {
  /** Configuration of the Freeboard suite. */
  freeboard?: {
    /**
     * Members of this group (an entity ref such as `group:default/platform-leads`)
     * are platform leads. The demo's permission policy lets them record trust
     * credits on any entity; adopters can do the same in their own policy.
     */
    platformLeadsGroup?: string;

    /** Trust credits. */
    trust?: {
      /**
       * Days after which an entry counts half: 7 to 3650. Default 180. A
       * change rebuilds the running sums once, in the database, within a
       * minute of the first replica starting with it.
       */
      halfLifeDays?: number;
      /** The largest amount one entry may carry: 1 to 1,000,000. Default 100. */
      maxAmount?: number;
      /** Balances from `healthy` are healthy, from `strong` strong. Defaults 10 and 50. */
      levels?: {
        healthy?: number;
        strong?: number;
      };
      /**
       * Days after which the ledger of an entity that has disappeared from
       * the catalog is deleted. Default 90.
       */
      orphanRetentionDays?: number;
      /** Safety limits of the daily retention sweep. */
      retention?: {
        /**
         * The largest share (0 to 1) of all ledgers one sweep may delete.
         * A sweep that would delete more deletes nothing and logs a warning,
         * so a catalog location removed by mistake cannot wipe ledgers.
         * Default 0.1.
         */
        maxDeleteShare?: number;
      };
      /**
       * Ledger categories; replaces the defaults. The pulse categories
       * `pulse-up` and `pulse-down` are always present.
       */
      categories?: Array<{
        id: string;
        direction: 'earn' | 'spend';
        title: string;
        defaultAmount?: number;
      }>;
    };
  };
}
