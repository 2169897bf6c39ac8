// What the 驻村工作 views share (docs/VILLAGE.md): the server names the
// field it refuses, and its words are shown under that field.

/** Today in China (UTC+8), YYYY-MM-DD. */
export { chinaToday as today } from './dates.js';

/** Empty the error map err. */
export function clearErrors(err) { for (const k of Object.keys(err)) delete err[k]; }

/**
 * Put the server's message e under its field in err (one of fields; a
 * field like "files[0]" counts as "files"), else under "other".
 */
export function fieldError(err, e, fields) {
  clearErrors(err);
  const k = (e.field || '').replace(/\[.*$/, '');
  err[fields.includes(k) ? k : 'other'] = e.message;
}
