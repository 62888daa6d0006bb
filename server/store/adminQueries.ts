// What the administrators' lists mean, once for both stores: how a stored support request reads
// (those kept before requests were handled are open, with no replies), which requests and audit
// entries a filter keeps, and their order (newest first).
import { MAX_PAGE_SIZE, type AuditEntry, type AuditFilter, type SupportRequest, type SupportRequestChange, type SupportRequestFilter } from './types.ts';

export const readSupportRequest = (r: SupportRequest): SupportRequest => ({ ...r, status: r.status ?? 'open', replies: r.replies ?? [] });

export function supportRequestMatches(r: SupportRequest, f: SupportRequestFilter): boolean {
  if (f.status && (r.status ?? 'open') !== f.status) return false;
  if (f.kind && r.kind !== f.kind) return false;
  if (f.regions || f.withoutRegion) {
    const inRegions = !!r.region && !!f.regions?.includes(r.region);
    if (!inRegions && !(f.withoutRegion && !r.region)) return false;
  }
  if (f.text) {
    const needle = f.text.toLowerCase();
    if (![r.enterpriseName, r.creditCode, r.mobile].some((s) => s.toLowerCase().includes(needle))) return false;
  }
  return true;
}

/** The request after a change (the stored record, as it will be written). */
export function changedSupportRequest(r: SupportRequest, change: SupportRequestChange): SupportRequest {
  return {
    ...r,
    status: change.status ?? r.status ?? 'open',
    replies: change.reply ? [...(r.replies ?? []), change.reply] : (r.replies ?? []),
    updatedAt: change.at,
  };
}

export function auditEntryMatches(e: AuditEntry, f: AuditFilter): boolean {
  if (f.actor !== undefined && e.actor !== f.actor) return false;
  if (f.actionPrefix !== undefined && !e.action.startsWith(f.actionPrefix)) return false;
  if (f.target !== undefined && e.target !== f.target) return false;
  if (f.from !== undefined && e.at < f.from) return false;
  if (f.to !== undefined && e.at >= f.to) return false;
  if (f.regions && !(e.region && f.regions.includes(e.region))) return false;
  return true;
}

/** A page's bounds, whatever the caller asked: at most MAX_PAGE_SIZE. */
export const pageBounds = (page: { offset: number; limit: number }) => ({
  offset: Math.max(0, Math.floor(page.offset)),
  limit: Math.min(MAX_PAGE_SIZE, Math.max(0, Math.floor(page.limit))),
});

/** Newest first by `time`, the later written first among equals; `items` are in the order written. */
export function newestFirst<T>(items: T[], time: (item: T) => string): T[] {
  return items
    .map((item, i) => ({ item, i }))
    .sort((a, b) => (time(a.item) < time(b.item) ? 1 : time(a.item) > time(b.item) ? -1 : b.i - a.i))
    .map((x) => x.item);
}
