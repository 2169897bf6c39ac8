import { ref } from 'vue';

// PC layout from 1024 px wide: side menu, tables with more columns.
const mq = typeof window !== 'undefined' ? window.matchMedia('(min-width: 1024px)') : null;
export const isPC = ref(mq ? mq.matches : false);
if (mq) mq.addEventListener('change', (e) => { isPC.value = e.matches; });
