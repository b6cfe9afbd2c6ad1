/**
 * A value read from the database that many requests share for a short
 * while: a request gets it without waiting when it is younger than
 * `maxAgeMs`; once older, the next request still gets it while one reload
 * runs in the background, and only a value older than `hardMaxAgeMs` (or a
 * failed reload) makes a request wait for a fresh one. Readers therefore see
 * figures at most `hardMaxAgeMs` old, usually `maxAgeMs`.
 */
export class FreshCache<T> {
  private value?: { at: number; data: T };
  private reloading?: Promise<T>;

  constructor(
    private readonly load: () => Promise<T>,
    private readonly options: {
      maxAgeMs: number;
      hardMaxAgeMs: number;
      now?: () => number;
    },
  ) {}

  async get(): Promise<T> {
    const now = this.options.now?.() ?? Date.now();
    const cached = this.value;
    if (cached && now - cached.at < this.options.maxAgeMs) return cached.data;
    const reload = this.reload();
    if (cached && now - cached.at < this.options.hardMaxAgeMs) {
      // A failed background reload is retried by the next request.
      reload.catch(() => undefined);
      return cached.data;
    }
    return reload;
  }

  private reload(): Promise<T> {
    if (!this.reloading) {
      const started = this.options.now?.() ?? Date.now();
      this.reloading = this.load()
        .then(data => {
          this.value = { at: started, data };
          return data;
        })
        .finally(() => {
          this.reloading = undefined;
        });
    }
    return this.reloading;
  }
}
