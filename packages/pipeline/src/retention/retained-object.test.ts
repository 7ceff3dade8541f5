import { describe, expect, it } from 'vitest';
import { retainedObject } from './retained-object.js';

describe('retainedObject', () => {
  it('classifies inputs, snapshots and history by key', () => {
    expect(retainedObject('raw/period=2021-09/source=PKH/sha256=ab/pkh.csv')).toEqual({ kind: 'input', prefix: 'raw/', periods: ['2021-09'] });
    expect(retainedObject('landing/period=2021-09/source=DTKS/d.csv')).toEqual({ kind: 'input', prefix: 'landing/', periods: ['2021-09'] });
    expect(retainedObject('snapshots/period=2021-09/latest.json')).toEqual({ kind: 'snapshot', period: '2021-09', role: 'latest' });
    expect(retainedObject('snapshots/period=2021-09/date=2021-10-01/manifest.json')).toEqual({ kind: 'snapshot', period: '2021-09', role: 'manifest' });
    expect(retainedObject('snapshots/period=2021-09/date=2021-10-01/restricted/findings.csv')).toEqual({ kind: 'snapshot', period: '2021-09', role: 'file' });
    expect(retainedObject('history/period=2021-09/date=2021-10-01/snapshot=0123/manifest.json')).toEqual({ kind: 'history', period: '2021-09', date: '2021-10-01', role: 'manifest' });
  });

  it('keeps what holds no personal data, malformed keys, and fixes copies no run record names', () => {
    for (const key of ['ingest/done/landing/period=2021-09/source=PKH/p.csv.json', 'runs/period=2021-09.json', 'releases/x.json', 'raw/period=2021-13/source=PKH/sha256=a/p.csv', 'runs/fixes/abc.csv', 'snapshots/period=2021-09/date=x/manifest.json']) {
      expect(retainedObject(key)).toEqual({ kind: 'kept' });
    }
  });

  it('takes a fixes copy\'s periods from the run records', () => {
    const map = new Map([['runs/fixes/abc.csv', ['2021-08', '2021-09']]]);
    expect(retainedObject('runs/fixes/abc.csv', map)).toEqual({ kind: 'input', prefix: 'runs/fixes/', periods: ['2021-08', '2021-09'] });
  });
});
