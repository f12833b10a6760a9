// The widget's texts in one language, its own chunk (widget-locale-fr-[hash].js, vite.config.ts): a
// conversation loads only the language it shows (main.tsx, initI18nLazy in lib/i18n.ts).
import common from '../../../../locales/fr/common.json';
import widget from '../../../../locales/fr/widget.json';

export default { common, widget };
