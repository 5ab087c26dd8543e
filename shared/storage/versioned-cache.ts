// A bounded, least-recently-used cache of records with their ETags. Safe for optimistic writes:
// a commit based on a stale copy fails its ETag check and the caller re-reads.

export class VersionedCache<T> {
  private readonly entries = new Map<string, { readonly value: T; readonly etag: string }>();

  constructor(private readonly capacity: number) {}

  get(key: string): { readonly value: T; readonly etag: string } | undefined {
    const entry = this.entries.get(key);
    if (entry) {
      this.entries.delete(key);
      this.entries.set(key, entry);
    }
    return entry;
  }

  set(key: string, value: T, etag: string): void {
    this.entries.delete(key);
    this.entries.set(key, { value, etag });
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
  }

  delete(key: string): void {
    this.entries.delete(key);
  }
}
