// The state of an import screen (the roster, the 发展党员台账): the three
// steps (file, preview, result), the org the file goes into, the preview
// with its rows (only those in error on request, at most 500 shown) and the
// commit of the batch at `base` + id + "/commit".
import { ref, computed } from 'vue';
import { useRoute } from 'vue-router';
import { api } from './api.js';
import { session } from './session.js';
import { toastError } from './ui.js';

export function useImport(base) {
  const route = useRoute();
  const s = {
    step: ref(0),
    org: ref(Number(route.query.org) || session.orgId),
    busy: ref(false),
    preview: ref(null),
    filename: ref(''),
    onlyErrors: ref(false),
    result: ref(null),
  };
  s.filtered = computed(() => (s.preview.value ? s.preview.value.rows : []).filter((r) => !s.onlyErrors.value || r.status === 'error'));
  s.shown = computed(() => s.filtered.value.slice(0, 500));
  s.previewed = (p, name, onlyErrors) => {
    s.preview.value = p;
    s.filename.value = name;
    s.onlyErrors.value = onlyErrors;
    s.step.value = 1;
  };
  s.commit = async (query = {}) => {
    s.busy.value = true;
    try {
      s.result.value = (await api.post(base + '/' + s.preview.value.id + '/commit', {}, { query })).counts;
      s.step.value = 2;
    } catch (e) { toastError(e); } finally { s.busy.value = false; }
  };
  // back to the first step for the corrected file: the org stays chosen
  s.reset = () => { s.step.value = 0; s.preview.value = null; };
  return s;
}
