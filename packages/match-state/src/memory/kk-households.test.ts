import { describe, expect, it } from 'vitest';
import { KkHouseholds } from './kk-households.js';

describe('KkHouseholds', () => {
  it('answers each KK with its distinct households, sorted, whatever the KK looks like', () => {
    const k = new KkHouseholds();
    k.add('1571010101000001', 'DTKS2');
    k.add('1571010101000001', 'DTKS2');
    k.add('1571010101000002', 'DTKS9');
    k.add('1571010101000002', 'DTKS1');
    k.add('1571010101000002', 'DTKS9');
    k.add('1571010101000002', 'DTKS5');
    k.add('KK-LAMA', 'Rumah Ñ');
    expect(k.get('1571010101000001')).toEqual(['DTKS2']);
    expect(k.get('1571010101000002')).toEqual(['DTKS1', 'DTKS5', 'DTKS9']);
    expect(k.get('KK-LAMA')).toEqual(['Rumah Ñ']);
    expect(k.get('1571010101000003')).toBeUndefined();
  });

  it('grows with the KKs it holds', () => {
    const k = new KkHouseholds();
    for (let i = 0; i < 5000; i++) k.add(`15710101${String(i).padStart(8, '0')}`, `DTKS${i}`);
    for (let i = 0; i < 5000; i += 499) expect(k.get(`15710101${String(i).padStart(8, '0')}`)).toEqual([`DTKS${i}`]);
  });
});
