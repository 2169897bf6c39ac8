// The platform's calendar is China time (UTC+8): the server's today
// (src/app/app.c zb_today) is the same on every phone, whatever its zone.

/** Today in China time, "2026-11-20". */
export function chinaToday() {
  return new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
}
/** This month in China time, "2026-11". */
export function chinaMonth() {
  return chinaToday().slice(0, 7);
}
/** The last 31 December before today in China time, "2025-12-31": the
 * usual date of the annual statistics. */
export function lastYearEnd() {
  return `${Number(chinaToday().slice(0, 4)) - 1}-12-31`;
}
