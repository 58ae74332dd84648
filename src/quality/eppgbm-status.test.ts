import { describe, expect, it } from 'vitest';
import { statusCodeOfLabel, statusDiffers } from './eppgbm-status.js';

describe('e-PPGBM status labels', () => {
  it('reads the labels e-PPGBM and spreadsheets write', () => {
    expect(statusCodeOfLabel('wfa', 'Berat Badan Kurang')).toBe('underweight');
    expect(statusCodeOfLabel('wfa', 'BB Sangat Kurang')).toBe('severely_underweight');
    expect(statusCodeOfLabel('lfa', 'Sangat Pendek')).toBe('severely_stunted');
    expect(statusCodeOfLabel('lfa', 'pendek')).toBe('stunted');
    expect(statusCodeOfLabel('wfl', 'Gizi Kurang')).toBe('wasted');
    expect(statusCodeOfLabel('wfl', 'Gizi Baik')).toBe('normal');
    expect(statusCodeOfLabel('wfl', 'Berisiko Gizi Lebih')).toBe('possible_risk_of_overweight');
    expect(statusCodeOfLabel('lfa', 'Gizi Kurang')).toBeNull();
    expect(statusCodeOfLabel('lfa', '???')).toBeNull();
  });

  it('counts a disagreement only when both sides name a different status', () => {
    expect(statusDiffers('lfa', 'Pendek', 'stunted')).toBe(false);
    expect(statusDiffers('lfa', 'Normal', 'stunted')).toBe(true);
    expect(statusDiffers('lfa', 'tidak terbaca', 'stunted')).toBe(false);
    expect(statusDiffers('lfa', null, 'stunted')).toBe(false);
    expect(statusDiffers('wfa', 'Berat badan normal', null)).toBe(false);
  });
});
