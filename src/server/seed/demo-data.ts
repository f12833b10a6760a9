import type { Db } from '../db/index.ts';
import { createTicket } from '../modules/tickets/index.ts';

/** A few tickets in each language, so a new installation has something to show. */
export const DEMO_TICKETS = [
  { email: 'sarah.dupont@example.com', lang: 'fr', message: 'Bonjour, ma commande TF-1002 a plus de 30 minutes de retard, pouvez-vous vérifier ?', orderNumber: 'TF-1002' },
  { email: 'karim.benali@example.com', lang: 'fr', message: 'Est-ce que vos sauces contiennent des traces de fruits à coque ?' },
  { email: 'emma.jones@example.com', lang: 'en', message: 'I was charged twice for my order last night, can you refund one of the payments?' },
  { email: 'lucas.devries@example.com', lang: 'nl', message: 'Mijn bestelling was koud toen hij aankwam. Wat kunnen jullie hieraan doen?' },
  { email: 'amina.elidrissi@example.com', lang: 'en', message: 'Do you deliver to Schaerbeek on Sunday evenings?' },
] as const;

/** Loads the demo data when the database has no ticket yet. Returns whether it did. */
export async function seedDemoData(db: Db): Promise<boolean> {
  const { rows } = await db.query<{ any: boolean }>('SELECT EXISTS (SELECT 1 FROM support_requests) AS any');
  if (rows[0]?.any) return false;
  for (const t of DEMO_TICKETS) {
    await createTicket({ db, input: { ...t }, fallbackLang: t.lang });
  }
  return true;
}
