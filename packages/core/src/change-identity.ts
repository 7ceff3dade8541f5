import { nameKey } from './name-key.js';
import { cleanNik } from './nik.js';

/**
 * Who a program record is, for comparing months: file names and row numbers change every month and
 * are never part of it. A record with a valid NIK is its cleaned NIK; a record whose NIK is invalid
 * is the raw NIK as far as cleaning got plus the key of its name, so two people listed with an
 * empty NIK stay apart, and the same person listed with the same damaged NIK matches across months.
 * The parts are joined by NUL, which no cleaned NIK or name key holds.
 *
 * `validNik` is the cleaned NIK of a record whose NIK is valid, '' otherwise.
 */
export function changeIdentity(validNik: string, nikRaw: string, nama: string): string {
  if (validNik !== '') return validNik;
  const name = nama.trim();
  return `${cleanNik(nikRaw).nik}\u0000${name === '' ? '' : nameKey(name)}`;
}

/** The key of a record within a month: its program and its identity. */
export function changeKey(program: string, identity: string): string {
  return `${program}\u0001${identity}`;
}
