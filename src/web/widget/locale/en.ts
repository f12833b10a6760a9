// The widget's texts in one language, its own chunk (widget-locale-en-[hash].js, vite.config.ts): a
// conversation loads only the language it shows (main.tsx, initI18nLazy in lib/i18n.ts).
import common from '../../../../locales/en/common.json';
import widget from '../../../../locales/en/widget.json';

export default { common, widget };
