// A sortable column heading: a button (keyboard-reachable) with aria-sort on the cell.
import type { SortDir } from '../lib/tables.ts';

export function SortHeader<K extends string>({ label, column, sort, onSort, numeric = false }: {
  label: string; column: K; sort: { key: K; dir: SortDir }; onSort: (key: K, dir: SortDir) => void; numeric?: boolean;
}) {
  const active = sort.key === column;
  const next: SortDir = active ? (sort.dir === 'desc' ? 'asc' : 'desc') : (numeric ? 'desc' : 'asc');
  return (
    <th className={numeric ? 'num' : undefined} aria-sort={active ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none'} scope="col">
      <button type="button" className="sort-button" onClick={() => onSort(column, next)}>
        {label}<span aria-hidden="true" className="sort-mark">{active ? (sort.dir === 'asc' ? '▲' : '▼') : ''}</span>
      </button>
    </th>
  );
}
