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
      /** Days after which an entry counts half. Default 180. */
      halfLifeDays?: number;
      /** The largest amount one entry may carry. Default 100. */
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
