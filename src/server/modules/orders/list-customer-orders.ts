import type { CustomerOrder } from '../../../contracts/orders.ts';
import type { Queryable } from '../../db/index.ts';
import { iso, isoOrNull } from '../../db/rows.ts';
import { listOrdersByEmail } from './orders.repo.ts';

/** A customer's orders (same e-mail address, any case), newest first, at most `limit`: the agents' customer panel. */
export async function listCustomerOrders(q: Queryable, email: string, limit: number): Promise<CustomerOrder[]> {
  const rows = await listOrdersByEmail(q, email, limit);
  return rows.map((row) => ({
    number: row.number,
    status: row.status,
    eta: isoOrNull(row.eta),
    items: row.items,
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
  }));
}
