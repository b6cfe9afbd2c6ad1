export interface Config {
  /** Configuration of the Freeboard suite. */
  freeboard?: {};
}
