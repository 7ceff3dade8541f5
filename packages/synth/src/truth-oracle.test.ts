// Cross-check: the truth the generator computes from what it meant to write must equal what an
// independent reading of the written files gives, using padan's own readers (@padan/io) and
// record rules (@padan/core). This catches any raw value that does not clean, parse or number the
// way the generator assumed.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildRegionCatalog,
  cleanNik,
  dtksDuplicateDetail,
  familyKey,
  fieldIndex,
  namesMatch,
  normalizeRecord,
  orderDetails,
  orderReasons,
  reconcileRecord,
  suggestNik,
} from '@padan/core';
import type { DtksPerson, RegionCatalog } from '@padan/core';
import { detectFormat, readSource } from '@padan/io';
import { currentRegions, retiredRegions } from '@padan/wilayah';
import { generateFollowOn } from './follow-on.js';
import { generate } from './generate.js';

type NormalizedRecord = ReturnType<typeof normalizeRecord>;
type Reason = Parameters<typeof orderReasons>[0] extends Iterable<infer R> ? R : never;
type Source = Parameters<typeof readSource>[1]['source'];
import type { GeneratedFiles } from './generate.js';
import { readCsv } from './score.js';

interface Expected {
  reasons: string;
  details: string;
  suggested: string;
  warnings: string;
}

async function readRecords(path: string, source: string, regions: RegionCatalog, period: string) {
  const records: NormalizedRecord[] = [];
  const rejected: { row: number; reason: string }[] = [];
  let fields: Parameters<typeof fieldIndex>[0] = [];
  const format = detectFormat(path);
  for await (const ev of readSource(path, { source: source as Source })) {
    if (ev.kind === 'header') fields = ev.fields;
    else if (ev.kind === 'reject') rejected.push({ row: ev.row, reason: ev.reason });
    else records.push(normalizeRecord(ev.row, ev.values, fieldIndex(fields), { regions, format, isDtks: source === 'DTKS', periodYear: Number(period.slice(0, 4)) }));
  }
  return { records, rejected };
}

/** Reconciles the generated files the way the pipeline documents it, with padan's core functions. */
async function oracle(files: GeneratedFiles): Promise<{ findings: Map<string, Expected>; rejected: string[] }> {
  const regions = buildRegionCatalog(currentRegions().map((r) => r.code), retiredRegions().map((r) => r.code));
  const findings = new Map<string, Expected>();
  const rejected: string[] = [];
  const dtksFile = basename(files.dtks);
  const dtks = await readRecords(files.dtks, 'DTKS', regions, files.period);
  const byNik = new Map<string, DtksPerson[]>();
  const byBirth = new Map<string, DtksPerson[]>();
  const kkHouseholds = new Map<string, Set<string>>();
  for (const rec of dtks.records) {
    if (rec.nikInvalid !== null) {
      findings.set(`DTKS|${dtksFile}|${rec.row}`, { reasons: 'INVALID_NIK', details: `INVALID_NIK:${rec.nikInvalid}`, suggested: '', warnings: [...rec.warnings].sort().join(';') });
      continue;
    }
    const p: DtksPerson = {
      nik: rec.nik, nikRaw: rec.nikRaw, file: dtksFile, row: rec.row, householdId: rec.householdId, noKk: rec.noKk, nama: rec.nama,
      nameKey: rec.nameKey ?? '', birthDate: rec.birthDate, regency: rec.regency, deceased: rec.deceased ?? false, warnings: rec.warnings,
    };
    (byNik.get(p.nik) ?? byNik.set(p.nik, []).get(p.nik))?.push(p);
    if (p.birthDate) (byBirth.get(p.birthDate) ?? byBirth.set(p.birthDate, []).get(p.birthDate))?.push(p);
    if (p.noKk && p.householdId) (kkHouseholds.get(p.noKk) ?? kkHouseholds.set(p.noKk, new Set()).get(p.noKk))?.add(p.householdId);
  }
  for (const group of byNik.values()) {
    if (group.length < 2) continue;
    const detail = dtksDuplicateDetail(group);
    for (const p of group) {
      findings.set(`DTKS|${dtksFile}|${p.row}`, { reasons: 'DUPLICATE_IN_DTKS', details: `DUPLICATE_IN_DTKS:${detail}`, suggested: '', warnings: [...p.warnings].sort().join(';') });
    }
  }
  const famPrograms = new Map<string, Set<string>>();
  const programRecs: { program: string; file: string; rec: NormalizedRecord; reasons: Reason[]; details: string[]; warnings: string[]; suggested: string; family: string | null }[] = [];
  for (const { program, path } of files.programs) {
    const file = basename(path);
    const { records, rejected: rej } = await readRecords(path, program, regions, files.period);
    for (const r of rej) rejected.push(`${program},${file},${r.row},${r.reason}`);
    const seen = new Map<string, number>();
    for (const rec of records) {
      const sameNik = rec.nikInvalid === null ? (byNik.get(rec.nik) ?? []) : [];
      const v = reconcileRecord(rec, sameNik);
      let suggested = '';
      if ((v.reasons.includes('INVALID_NIK') || v.reasons.includes('NOT_IN_DTKS')) && rec.birthDate) {
        suggested = suggestNik({ nik: rec.nik, survivingDigits: cleanNik(rec.nikRaw).survivingDigits }, rec.nameKey, byBirth.get(rec.birthDate) ?? [], namesMatch) ?? '';
      }
      const family = familyKey(v.matched, rec.noKk, rec.noKk ? [...(kkHouseholds.get(rec.noKk) ?? [])] : []);
      const reasons = [...v.reasons];
      const details = [...v.details];
      if (rec.nikInvalid === null) {
        const first = seen.get(rec.nik);
        if (first !== undefined) {
          reasons.push('DUPLICATE_IN_PROGRAM');
          details.push(`DUPLICATE_IN_PROGRAM:FIRST=${file}#${first}`);
        } else seen.set(rec.nik, rec.row);
      }
      if (family) (famPrograms.get(family) ?? famPrograms.set(family, new Set()).get(family))?.add(program);
      programRecs.push({ program, file, rec, reasons, details, warnings: [...rec.warnings, ...v.warnings], suggested, family });
    }
  }
  for (const p of programRecs) {
    if (p.program === 'BST' && p.family) {
      for (const ex of ['PKH', 'SEMBAKO']) {
        if (famPrograms.get(p.family)?.has(ex)) {
          p.reasons.push('PROGRAM_CONFLICT');
          p.details.push(`PROGRAM_CONFLICT:${ex}`);
        }
      }
    }
    if (p.reasons.length === 0) continue;
    findings.set(`${p.program}|${p.file}|${p.rec.row}`, {
      reasons: orderReasons(p.reasons).join(';'),
      details: orderDetails(p.details).join(';'),
      suggested: p.suggested,
      warnings: [...new Set(p.warnings)].sort().join(';'),
    });
  }
  return { findings, rejected: rejected.sort() };
}

async function readTruth(files: GeneratedFiles): Promise<{ truth: Map<string, Expected>; rejected: string[] }> {
  const truth = new Map<string, Expected>();
  let header = true;
  for await (const c of readCsv(files.truth)) {
    if (header) {
      header = false;
      continue;
    }
    truth.set(`${c[0]}|${c[1]}|${c[2]}`, { reasons: c[3] ?? '', details: c[4] ?? '', suggested: c[5] ?? '', warnings: c[6] ?? '' });
  }
  const rejected: string[] = [];
  header = true;
  for await (const c of readCsv(join(files.truth, '..', 'truth-rejected.csv'))) {
    if (header) {
      header = false;
      continue;
    }
    rejected.push(c.join(','));
  }
  return { truth, rejected: rejected.sort() };
}

function diff(a: Map<string, Expected>, b: Map<string, Expected>): string[] {
  const out: string[] = [];
  for (const [k, v] of a) {
    const w = b.get(k);
    if (!w) out.push(`only in truth: ${k} ${JSON.stringify(v)}`);
    else if (JSON.stringify(v) !== JSON.stringify(w)) out.push(`differs: ${k} truth=${JSON.stringify(v)} oracle=${JSON.stringify(w)}`);
  }
  for (const [k, w] of b) if (!a.has(k)) out.push(`only in oracle: ${k} ${JSON.stringify(w)}`);
  return out;
}

describe('truth agrees with padan readers + core rules', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'synth-oracle-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  for (const [seed, formats] of [[7, 'mixed'], [3, 'csv'], [11, 'mixed']] as const) {
    it(`seed ${seed}, ${formats}`, async () => {
      const files = await generate({ outDir: join(dir, `${seed}-${formats}`), households: 2500, seed, formats });
      const { truth, rejected } = await readTruth(files);
      const o = await oracle(files);
      expect(diff(truth, o.findings).slice(0, 20)).toEqual([]);
      expect(rejected).toEqual(o.rejected);
      expect(truth.size).toBeGreaterThan(100);
    });
  }

  it('a follow-on month (seed 7, mixed)', async () => {
    await generate({ outDir: join(dir, 'fo-a'), households: 1500, seed: 7, period: '2021-08' });
    const files = await generateFollowOn({ from: join(dir, 'fo-a'), outDir: join(dir, 'fo-b') });
    const { truth, rejected } = await readTruth(files);
    const o = await oracle(files);
    expect(diff(truth, o.findings).slice(0, 20)).toEqual([]);
    expect(rejected).toEqual(o.rejected);
    expect(truth.size).toBeGreaterThan(100);
  });
});
