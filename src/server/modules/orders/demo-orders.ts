import type { OrderItem, OrderStatus } from '../../../contracts/orders.ts';
import type { Db } from '../../db/index.ts';
import { applyOrderUpdate } from './orders.service.ts';

type DemoOrder = {
  number: string;
  email: string;
  items: OrderItem[];
  /** Each status and how many minutes before the seeding it was reached. */
  history: { status: OrderStatus; minutesAgo: number; note?: string }[];
  /** Minutes from the seeding to the expected delivery, when still expected. */
  etaInMinutes: number | null;
};

/** Orders of the demo customers (src/server/seed/demo-data.ts), one per interesting state; docs/orders.md lists them. */
export const DEMO_ORDERS: DemoOrder[] = [
  {
    number: 'TF-1001',
    email: 'emma.jones@example.com',
    items: [
      { name: 'Tasty Burger menu', qty: 2, price: 11.5 },
      { name: 'Chicken wings (6)', qty: 1, price: 6.9 },
    ],
    history: [
      { status: 'received', minutesAgo: 24 * 60 + 55 },
      { status: 'preparing', minutesAgo: 24 * 60 + 50 },
      { status: 'ready', minutesAgo: 24 * 60 + 38 },
      { status: 'out_for_delivery', minutesAgo: 24 * 60 + 35 },
      { status: 'delivered', minutesAgo: 24 * 60 + 12 },
    ],
    etaInMinutes: null,
  },
  {
    number: 'TF-1002',
    email: 'sarah.dupont@example.com',
    items: [
      { name: 'Menu Crispy Chicken', qty: 1, price: 12.9 },
      { name: 'Tenders (4)', qty: 1, price: 5.5 },
      { name: 'Coca-Cola 33 cl', qty: 2, price: 2.5 },
    ],
    history: [
      { status: 'received', minutesAgo: 52 },
      { status: 'preparing', minutesAgo: 48 },
      { status: 'ready', minutesAgo: 25 },
      { status: 'out_for_delivery', minutesAgo: 18, note: 'courier picked up' },
    ],
    etaInMinutes: 12,
  },
  {
    number: 'TF-1003',
    email: 'amina.elidrissi@example.com',
    items: [{ name: 'Family bucket', qty: 1, price: 24.9 }],
    history: [
      { status: 'received', minutesAgo: 9 },
      { status: 'preparing', minutesAgo: 6 },
    ],
    etaInMinutes: 35,
  },
  {
    number: 'TF-1004',
    email: 'lucas.devries@example.com',
    items: [{ name: 'Double Cheese menu', qty: 1, price: 10.9 }],
    history: [
      { status: 'received', minutesAgo: 3 * 60 },
      { status: 'cancelled', minutesAgo: 3 * 60 - 4, note: 'cancelled by the customer' },
    ],
    etaInMinutes: null,
  },
];

/**
 * Loads the demo orders when the database has none, through the same code path as the ordering
 * system's webhook (so each step is an order event). Returns whether it did.
 */
export async function seedDemoOrders(db: Db, now: Date = new Date()): Promise<boolean> {
  const { rows } = await db.query<{ any: boolean }>('SELECT EXISTS (SELECT 1 FROM orders) AS any');
  if (rows[0]?.any) return false;
  for (const o of DEMO_ORDERS) {
    for (const step of o.history) {
      const final = step === o.history.at(-1);
      await applyOrderUpdate({
        db,
        now,
        input: {
          number: o.number,
          email: o.email,
          status: step.status,
          items: o.items,
          eta: final && o.etaInMinutes !== null ? new Date(now.getTime() + o.etaInMinutes * 60_000).toISOString() : null,
          updatedAt: new Date(now.getTime() - step.minutesAgo * 60_000).toISOString(),
          ...(step.note ? { note: step.note } : {}),
        },
      });
    }
  }
  return true;
}
