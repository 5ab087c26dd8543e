// A list read a page at a time through `@odata.nextLink`'s skipToken: the first page on mount and on
// reload, the next one appended on "Show more". Used by the Groups page and a group's members.
import { useCallback, useEffect, useState } from "react";
import { type PageLoad, usePageLoad } from "./load-status.js";

export interface ListPage<T> {
  readonly items: readonly T[];
  /** The next page's skipToken; undefined after the last page. */
  readonly skipToken: string | undefined;
}

/** One page from its skipToken (undefined: the first), or the server's words for a refusal. */
export type FetchPage<T> = (
  skipToken: string | undefined,
) => Promise<ListPage<T> | { readonly failed: string }>;

/** The skipToken of an `@odata.nextLink`, undefined without one. */
export const skipTokenOf = (nextLink: string | undefined): string | undefined =>
  nextLink ? (new URL(nextLink).searchParams.get("skipToken") ?? undefined) : undefined;

export function usePagedList<T>(fetchPage: FetchPage<T>) {
  const [load, setLoad] = usePageLoad<PageLoad<ListPage<T>>>();
  const [loadingMore, setLoadingMore] = useState(false);

  /**
   * `quietly`: the rows shown stay until the new ones come (no spinner, focus kept), and stay, marked
   * with their age, if they cannot be read (Refresh, Retry).
   */
  const reload = useCallback(
    async (quietly?: boolean) => {
      if (!quietly) setLoad({ state: "loading" });
      const page = await fetchPage(undefined);
      setLoad("failed" in page ? { state: "failed", message: page.failed } : { state: "loaded", ...page });
    },
    [fetchPage, setLoad],
  );

  useEffect(() => {
    void reload();
  }, [reload]);

  /** Appends the next page; answers the refusal's words if it is refused. */
  const showMore = async (): Promise<string | undefined> => {
    if (load.state !== "loaded") return undefined;
    setLoadingMore(true);
    const page = await fetchPage(load.skipToken);
    setLoadingMore(false);
    if ("failed" in page) return page.failed;
    setLoad({ state: "loaded", items: [...load.items, ...page.items], skipToken: page.skipToken });
    return undefined;
  };

  return { load, reload, showMore, loadingMore };
}
