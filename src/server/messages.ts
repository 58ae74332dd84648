import { defineMessages } from '../common/i18n.js';

/** User-facing messages of the HTTP layer (Bahasa Indonesia first, English second). */
export const SERVER_MESSAGES = defineMessages({
  'server.notFound': { id: 'Alamat {path} tidak ditemukan.', en: 'No such address: {path}.' },
  'server.internal': {
    id: 'Terjadi kesalahan di server. Sampaikan kode permintaan {requestId} kepada admin.',
    en: 'Something went wrong on the server. Give the request id {requestId} to the administrator.',
  },
  'server.invalidRequest': { id: 'Permintaan tidak valid: periksa isian yang ditandai.', en: 'Invalid request: check the marked fields.' },
  'server.badJson': { id: 'Isi permintaan bukan JSON yang sah.', en: 'The request body is not valid JSON.' },
  'server.unsupportedType': {
    id: 'Jenis isi permintaan {type} tidak diterima.',
    en: 'Content type {type} is not accepted.',
  },
  'server.bodyTooLarge': { id: 'Isi permintaan terlalu besar (paling banyak {limit}).', en: 'The request body is too large (at most {limit}).' },
  'server.loginRequired': { id: 'Silakan masuk terlebih dahulu.', en: 'Please log in first.' },
  'server.csrf': {
    id: 'Token keamanan (CSRF) tidak ada atau tidak cocok. Muat ulang halaman lalu coba lagi.',
    en: 'The security (CSRF) token is missing or wrong. Reload the page and try again.',
  },
  'server.uploadMissing': { id: 'Lampirkan satu berkas pada isian "file".', en: 'Attach one file in the field "file".' },
  'server.uploadTooLarge': { id: 'Berkas terlalu besar (paling banyak {limit}).', en: 'The file is too large (at most {limit}).' },
  'server.uploadExtension': {
    id: 'Jenis berkas {ext} tidak diterima di sini; yang diterima: {allowed}.',
    en: 'File type {ext} is not accepted here; accepted: {allowed}.',
  },
  'server.uploadContent': {
    id: 'Isi berkas {file} tidak sesuai dengan jenisnya ({reason}).',
    en: 'The content of {file} does not match its type ({reason}).',
  },
  'server.uploadZipBomb': {
    id: 'Berkas {file} terlalu besar setelah dibuka ({size}); batas {limit}.',
    en: 'The file {file} is too large once unpacked ({size}); the limit is {limit}.',
  },
  'server.notMultipart': { id: 'Kirim berkas sebagai multipart/form-data.', en: 'Send the file as multipart/form-data.' },
  'server.noUploadHere': { id: 'Alamat ini tidak menerima berkas.', en: 'This address does not take files.' },
  'server.dbDown': { id: 'Basis data belum siap.', en: 'The database is not ready.' },
  'server.mustChangePassword': {
    id: 'Ganti kata sandi Anda terlebih dahulu (POST /api/v1/auth/password).',
    en: 'Change your password first (POST /api/v1/auth/password).',
  },
  'server.tooManyParts': { id: 'Terlalu banyak bagian dalam unggahan.', en: 'Too many parts in the upload.' },
});
