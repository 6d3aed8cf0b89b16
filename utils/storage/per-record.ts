/**
 * A stored list read one record at a time: the records that read (at any known version, upgraded),
 * and the raw values of those that do not, for the ledger to set aside
 * (utils/worker/ledger.ts) and the options page to count. A value that is not a list is
 * itself one unreadable value; nothing stored makes an empty list.
 */
export function splitRecords<T>(value: unknown, read: (item: unknown) => T | null): { records: T[]; unreadable: unknown[] } {
  if (value === undefined || value === null) return { records: [], unreadable: [] };
  if (!Array.isArray(value)) return { records: [], unreadable: [value] };
  const records: T[] = [];
  const unreadable: unknown[] = [];
  for (const item of value) {
    const record = read(item);
    if (record) records.push(record);
    else unreadable.push(item);
  }
  return { records, unreadable };
}
