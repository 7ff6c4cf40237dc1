// Marker labels on charts: cut to one short line, and laid out in rows so they never overlap.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { labelRows, shortLabel } from '../../dashboard/src/charts/chart-marks.ts';

test('a label is one line of at most 28 characters', () => {
  assert.equal(shortLabel('  v1.2.3\n  hotfix '), 'v1.2.3 hotfix');
  const long = shortLabel('release-2026-11-26-build-1234567890');
  assert.equal(long.length, 28);
  assert.ok(long.endsWith('…'));
});

test('labels take the first row where they fit; a crowd falls back to the row that frees up first', () => {
  // Far apart: all on the top row.
  assert.deepEqual(labelRows([{ x: 0, width: 40 }, { x: 100, width: 40 }]), [0, 0]);
  // Given out of order, laid out by x: the one at 30 overlaps the one at 0, the one at 60 fits after it.
  assert.deepEqual(labelRows([{ x: 30, width: 40 }, { x: 0, width: 40 }, { x: 60, width: 40 }]), [1, 0, 0]);
  // A fourth overlapping label reuses the row whose label ends first (row 0 ends at 40).
  assert.deepEqual(labelRows([{ x: 0, width: 40 }, { x: 10, width: 40 }, { x: 20, width: 40 }, { x: 30, width: 40 }]), [0, 1, 2, 0]);
  // The gap counts: 6 px between labels on one row.
  assert.deepEqual(labelRows([{ x: 0, width: 40 }, { x: 45, width: 10 }]), [0, 1]);
  assert.deepEqual(labelRows([{ x: 0, width: 40 }, { x: 46, width: 10 }]), [0, 0]);
});
