import type { FaqEntry } from '../features/faq/api/get-faq.ts';
import type { TrackedOrder } from '../features/track/api/track-order.ts';
import type { DisplayMessage } from '../features/ticket/components/message-bubble.tsx';

/** Data for the stories: fixed, so a story renders the same every time. */
export const storyFaq: FaqEntry[] = [
  { key: 'is_halal', lang: 'fr', title: 'Est-ce HALAL ?', answer: 'OUI, 100% HALAL certifié ! Toute notre viande est certifiée.' },
  { key: 'delivery_zone', lang: 'fr', title: 'Où livrez-vous ?', answer: 'Dans toute la région bruxelloise, 7 jours sur 7.' },
  { key: 'allergens', lang: 'fr', title: 'Allergènes', answer: 'La liste des allergènes est disponible pour chaque plat.' },
];

const at = (minutes: number) => new Date(Date.UTC(2026, 0, 20, 18, minutes)).toISOString();

export const storyMessages: DisplayMessage[] = [
  { key: 'm1', author_type: 'user', body: 'Bonjour, ma commande TF-1002 est en retard.', created_at: at(0), state: 'sent', clientId: 'c1' },
  { key: 'm2', author_type: 'bot', body: 'Un membre de l’équipe va vous répondre.', created_at: at(1), state: 'sent' },
  { key: 'm3', author_type: 'agent', body: 'Votre livreur arrive dans 5 minutes.', created_at: at(4), state: 'sent' },
  { key: 'c4', author_type: 'user', body: 'Merci !', created_at: null, state: 'pending', clientId: 'c4' },
];

export const storyOrder: TrackedOrder = {
  number: 'TF-1002',
  status: 'out_for_delivery',
  eta: at(30),
  events: [
    { status: 'received', at: at(0) },
    { status: 'preparing', at: at(4) },
    { status: 'ready', at: at(27) },
    { status: 'out_for_delivery', at: at(34) },
  ],
  items: [{ name: 'Menu Crispy Chicken', qty: 1, price: 12.9 }],
  updated_at: at(34),
  trackingToken: 'story-token',
};

/** Stories' callbacks: they do nothing, the stories only show. */
export const noop = () => undefined;
