// The widget's texts in one language, its own chunk (widget-locale-nl-[hash].js, vite.config.ts): a
// conversation loads only the language it shows (main.tsx, initI18nLazy in lib/i18n.ts).
import common from '../../../../locales/nl/common.json';
import widget from '../../../../locales/nl/widget.json';

export default { common, widget };
