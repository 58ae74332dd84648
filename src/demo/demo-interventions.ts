/**
 * Interventions the demo records that the shipped catalogue (data/indicators/interventions.json)
 * does not list yet. The loader adds them when missing (ON CONFLICT DO NOTHING), so a catalogue
 * that gains them later wins. Codes follow the `intervention` table's format (upper case).
 */

export interface DemoIntervention {
  code: string;
  name_id: string;
  name_en: string;
  kind: 'spesifik' | 'sensitif';
  recipient: 'child' | 'person' | 'family';
  indicator_id: string | null;
}

export const DEMO_EXTRA_INTERVENTIONS: readonly DemoIntervention[] = [
  { code: 'VITAMIN_A', name_id: 'Kapsul vitamin A (Februari/Agustus)', name_en: 'Vitamin A capsule (February/August)', kind: 'spesifik', recipient: 'child', indicator_id: null },
  { code: 'SKRINING_ANEMIA_REMATRI', name_id: 'Skrining anemia remaja putri', name_en: 'Anaemia screening of adolescent girls', kind: 'spesifik', recipient: 'person', indicator_id: null },
  { code: 'PAUD', name_id: 'Pendidikan anak usia dini (PAUD)', name_en: 'Early childhood education (PAUD)', kind: 'sensitif', recipient: 'child', indicator_id: null },
];
