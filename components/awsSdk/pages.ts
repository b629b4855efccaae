// Paginated AWS list calls, read to the end. Each service names its continuation differently (nextToken, Marker with
// IsTruncated), so the caller turns one response into a page. Pure.

export interface Page<T> {
    items: readonly T[] | undefined;
    /** The token of the next page; absent (or "") on the last one. */
    next?: string;
}

/** Every item of every page, at most `maxPages` pages. */
export async function listAll<T>(
    page: (token: string | undefined) => Promise<Page<T>>,
    maxPages = Number.POSITIVE_INFINITY,
): Promise<T[]> {
    const all: T[] = [];
    let token: string | undefined;
    for (let pages = 0; pages < maxPages; pages++) {
        const out = await page(token);
        all.push(...(out.items ?? []));
        token = out.next || undefined;
        if (!token) break;
    }
    return all;
}
