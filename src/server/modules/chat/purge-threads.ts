import type { Db } from '../../db/index.ts';
import { deleteStaleThreads } from './chat.repo.ts';

/**
 * Deletes, batch by batch, the bot threads that never became a ticket and saw no activity since
 * `before` (their turns and feedback go with them). Returns how many threads were deleted.
 */
export async function purgeBotThreads(db: Db, before: Date, batchSize: number): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await deleteStaleThreads(db, before, batchSize);
    total += n;
    if (n < batchSize) return total;
  }
}
