// Toasts and dialogs: Vant's function APIs imported on demand with styles.
import { showToast, showSuccessToast, showFailToast } from 'vant';
import { showConfirmDialog } from 'vant';
import 'vant/es/toast/style';
import 'vant/es/dialog/style';

export function toastError(e) {
  const msg = (e && e.message) || '操作失败，请稍后再试';
  if (e && e.code === 'switched user') return;
  showFailToast({ message: msg, duration: 3000, wordBreak: 'break-word' });
}
export function toastOk(msg) { showSuccessToast(msg); }
export function toast(msg) { showToast(msg); }
export function confirm(message, title = '请确认') {
  return showConfirmDialog({ title, message }).then(() => true, () => false);
}
/** Required fields left empty: for each [key, label, value] with nothing
 * in it, errs[key] = 请填写<label> (the server would name the API key);
 * true when every one is filled. */
export function filled(errs, fields) {
  let ok = true;
  for (const [key, label, value] of fields) {
    if (value === undefined || value === null || String(value).trim() === '') { errs[key] = '请填写' + label; ok = false; }
  }
  return ok;
}
