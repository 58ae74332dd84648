import { defineMessages } from '../common/i18n.js';

/** Messages of the evaluation feature (errors a user can meet). */
export const EVAL_MESSAGES = defineMessages({
  'evaluation.roundNotFound': { id: 'Putaran evaluasi {id} tidak ditemukan.', en: 'Evaluation round {id} not found.' },
  'evaluation.roundFrozen': { id: 'Putaran evaluasi {id} sudah dibekukan pada {at}; angkanya tidak dapat diubah.', en: 'Evaluation round {id} was frozen on {at}; its figures cannot change.' },
  'evaluation.badPeriod': { id: 'Periode tidak sah: {from} s.d. {to}.', en: 'Invalid period: {from} to {to}.' },
  'evaluation.unknownRegion': { id: 'Wilayah {code} tidak dikenal.', en: 'Unknown region {code}.' },
  'evaluation.regionOutside': { id: 'Wilayah {code} berada di luar kabupaten {kab}.', en: 'Region {code} lies outside kabupaten {kab}.' },
  'evaluation.levelNeedsRegion': { id: 'Hambatan tingkat {level} memerlukan kode wilayah {level}.', en: 'A {level}-level barrier needs a {level} region code.' },
  'evaluation.unknownIndicator': { id: 'Indikator {id} tidak ada di katalog.', en: 'Indicator {id} is not in the catalogue.' },
  'evaluation.actionNotFound': { id: 'Rencana tindak lanjut {id} tidak ditemukan.', en: 'Follow-up action {id} not found.' },
  'evaluation.barrierNotFound': { id: 'Hambatan {id} tidak ditemukan di putaran {round}.', en: 'Barrier {id} not found in round {round}.' },
  'evaluation.badStatus': { id: 'Status tidak dikenal: {status} (direncanakan, berjalan, selesai, dibatalkan).', en: 'Unknown status: {status} (direncanakan, berjalan, selesai, dibatalkan).' },
  'evaluation.partnerNotFound': { id: 'Mitra {id} tidak ditemukan.', en: 'Partner {id} not found.' },
  'evaluation.badSettings': { id: 'Pengaturan penilaian tidak sah: {reason}', en: 'Invalid scorecard settings: {reason}' },
  'evaluation.noKabupaten': { id: 'Tidak ada kabupaten dengan data desa di basis data; sebutkan --kabupaten.', en: 'No kabupaten with village data in the database; give --kabupaten.' },
  'evaluation.unknownSource': { id: 'Sumber target {key} tidak dikenal.', en: 'Unknown target source {key}.' },
});
