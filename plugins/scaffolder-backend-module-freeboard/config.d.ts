export interface Config {
  freeboard?: {
    /** Freeboard's scaffolder actions. */
    scaffolder?: {
      /**
       * Set to false to leave the actions `freeboard:trust:preflight`,
       * `freeboard:trust:record` and `freeboard:phases:set-criterion` out of
       * the scaffolder; templates that use them then fail validation.
       * Default true.
       */
      enabled?: boolean;
    };
  };
}
