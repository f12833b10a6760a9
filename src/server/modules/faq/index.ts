// The FAQ module's public surface: what other modules (the bot) may import (src/import-boundaries.test.ts).
export { faqRoutes } from './faq.routes.ts';
export { addFaqPhrasing, getAdminFaq, getFaq, seedFaq } from './faq.service.ts';
export { loadFaqContent, type FaqContentEntry } from './faq-content.ts';
export { searchFaqRows, type FaqSearchRow } from './faq.repo.ts';
