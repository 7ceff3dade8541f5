import { describe, expect, it } from 'vitest';
import { DEFAULT_RETENTION } from './retention-config.js';
import { planRetention } from './retention-plan.js';

const obj = (key: string, bytes = 10) => ({ key, bytes });
const snapshot = (period: string, date: string) => [
  obj(`snapshots/period=${period}/latest.json`),
  obj(`snapshots/period=${period}/date=${date}/manifest.json`),
  obj(`snapshots/period=${period}/date=${date}/restricted/findings.csv`, 100),
  obj(`snapshots/period=${period}/date=${date}/dashboard/summary.json`),
];

describe('planRetention', () => {
  it('expires raw inputs exactly 13 months after the end of their period, and keeps the snapshot', () => {
    const objects = [obj('raw/period=2024-01/source=PKH/sha256=a/pkh.csv', 500), obj('landing/period=2024-01/source=PKH/pkh.csv', 500), ...snapshot('2024-01', '2024-02-05')];
    const before = planRetention(objects, DEFAULT_RETENTION, '2025-02-28');
    expect(before.phases.flat()).toEqual([]);
    const on = planRetention(objects, DEFAULT_RETENTION, '2025-03-01');
    expect(on.phases).toEqual([[], ['landing/period=2024-01/source=PKH/pkh.csv', 'raw/period=2024-01/source=PKH/sha256=a/pkh.csv'], []]);
    expect(on.expired).toEqual([
      { prefix: 'landing/', objects: 1, bytes: 500 },
      { prefix: 'raw/', objects: 1, bytes: 500 },
    ]);
    expect(on.kept).toEqual([{ prefix: 'snapshots/', objects: 4, bytes: 130 }]);
  });

  it('deletes a current snapshot 5 years after its period: manifest first, latest.json last', () => {
    const objects = [...snapshot('2020-02', '2020-03-01'), ...snapshot('2020-03', '2020-04-01')];
    expect(planRetention(objects, DEFAULT_RETENTION, '2025-02-28').phases.flat()).toEqual([]);
    const plan = planRetention(objects, DEFAULT_RETENTION, '2025-03-01');
    expect(plan.phases).toEqual([
      ['snapshots/period=2020-02/date=2020-03-01/manifest.json'],
      ['snapshots/period=2020-02/date=2020-03-01/dashboard/summary.json', 'snapshots/period=2020-02/date=2020-03-01/restricted/findings.csv'],
      ['snapshots/period=2020-02/latest.json'],
    ]);
    expect(plan.kept).toEqual([{ prefix: 'snapshots/', objects: 4, bytes: 130 }]);
  });

  it('ages history from its snapshot date, a leap day ending on 28 February', () => {
    const config = { ...DEFAULT_RETENTION, historyMonths: 12 };
    const objects = [obj('history/period=2024-01/date=2024-02-29/snapshot=abc/manifest.json'), obj('history/period=2024-01/date=2024-02-29/snapshot=abc/restricted/findings.csv')];
    expect(planRetention(objects, config, '2025-02-27').phases.flat()).toEqual([]);
    expect(planRetention(objects, config, '2025-02-28').phases).toEqual([
      ['history/period=2024-01/date=2024-02-29/snapshot=abc/manifest.json'],
      ['history/period=2024-01/date=2024-02-29/snapshot=abc/restricted/findings.csv'],
      [],
    ]);
  });

  it('never keeps history past the period\'s current snapshot', () => {
    // superseded on 2021-06-01, 4 years after its period: by its own date it would stay until 2026-06-01
    const objects = [obj('history/period=2017-05/date=2021-06-01/snapshot=abc/manifest.json')];
    expect(planRetention(objects, DEFAULT_RETENTION, '2022-05-31').phases.flat()).toEqual([]);
    expect(planRetention(objects, DEFAULT_RETENTION, '2022-06-01').phases[0]).toEqual(['history/period=2017-05/date=2021-06-01/snapshot=abc/manifest.json']);
  });

  it('expires a fixes copy only when every period it was applied to is past raw retention', () => {
    const objects = [obj('runs/fixes/abc.csv')];
    const map = new Map([['runs/fixes/abc.csv', ['2024-01', '2024-02']]]);
    expect(planRetention(objects, DEFAULT_RETENTION, '2025-03-01', map).phases.flat()).toEqual([]);
    expect(planRetention(objects, DEFAULT_RETENTION, '2025-04-01', map).phases[1]).toEqual(['runs/fixes/abc.csv']);
    expect(planRetention(objects, DEFAULT_RETENTION, '2099-01-01').phases.flat()).toEqual([]);
  });

  it('never deletes what holds no personal data', () => {
    const objects = [obj('ingest/done/landing/period=2000-01/source=PKH/p.csv.json'), obj('runs/period=2000-01.json'), obj('releases/registry.json')];
    const plan = planRetention(objects, DEFAULT_RETENTION, '2099-01-01');
    expect(plan.phases.flat()).toEqual([]);
    expect(plan.expired).toEqual([]);
  });
});
