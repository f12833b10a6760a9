// The faq module's public surface: what other modules may import (src/import-boundaries.test.ts).
export { type FaqContentEntry, loadFaqContent } from './faq-content.ts';
export { type FaqSearchRow, searchFaqRows } from './faq.repo.ts';
export { addFaqPhrasing, getAdminFaq, seedFaq } from './faq.service.ts';
