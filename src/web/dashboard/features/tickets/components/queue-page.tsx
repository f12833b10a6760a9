import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { useTranslation } from '../../../../staff/i18n.ts';
import { AGENT_LIMITS, QUEUE_SORTS, QUEUE_STATUS_FILTERS, SORT_ORDERS } from '../../../../../contracts/agents.ts';
import { TICKET_PRIORITIES, type TicketPriority } from '../../../../../contracts/tickets.ts';
import { PriorityBadge, StatusBadge } from '../../../../staff/components/badges.tsx';
import { EmptyState, ErrorState, Loading } from '../../../../staff/components/states.tsx';
import { useDebounce } from '../../../../lib/use-debounce.ts';
import { formatRelative } from '../../../../staff/format.ts';
import { Link } from '../../../lib/router.tsx';
import { useTickets, type QueueParams } from '../api/get-tickets.ts';
import { useQueueLive } from '../hooks/use-queue-live.ts';

const PAGE_SIZE = 20;
const SEARCH_DEBOUNCE_MS = 300;

const ASSIGNEE_FILTERS = ['all', 'me', 'none'] as const;

type Filters = {
  assignee: (typeof ASSIGNEE_FILTERS)[number];
  status: (typeof QUEUE_STATUS_FILTERS)[number];
  priority: TicketPriority | '';
  q: string;
  sort: (typeof QUEUE_SORTS)[number];
  order: (typeof SORT_ORDERS)[number];
  page: number;
};

function pick<T extends string>(value: string | null, allowed: readonly T[], fallback: T): T {
  return value !== null && (allowed as readonly string[]).includes(value) ? (value as T) : fallback;
}

/** Filters live in the address bar, so a reload or the back button keeps the agent's view. */
function filtersFromUrl(): Filters {
  const s = new URLSearchParams(location.search);
  const page = Number(s.get('page'));
  return {
    assignee: pick(s.get('assignee'), ASSIGNEE_FILTERS, 'all'),
    status: pick(s.get('status'), QUEUE_STATUS_FILTERS, 'open'),
    priority: pick(s.get('priority'), ['', ...TICKET_PRIORITIES], ''),
    q: (s.get('q') ?? '').slice(0, AGENT_LIMITS.searchMaxChars),
    sort: pick(s.get('sort'), QUEUE_SORTS, 'created_at'),
    order: pick(s.get('order'), SORT_ORDERS, 'desc'),
    page: Number.isInteger(page) && page > 0 ? page : 1,
  };
}

function syncUrl(f: Filters) {
  const s = new URLSearchParams();
  if (f.assignee !== 'all') s.set('assignee', f.assignee);
  if (f.status !== 'open') s.set('status', f.status);
  if (f.priority) s.set('priority', f.priority);
  if (f.q) s.set('q', f.q);
  if (f.sort !== 'created_at') s.set('sort', f.sort);
  if (f.order !== 'desc') s.set('order', f.order);
  if (f.page !== 1) s.set('page', String(f.page));
  const query = s.toString();
  history.replaceState(null, '', `${location.pathname}${query ? `?${query}` : ''}`);
}

export function QueuePage({ header, onLiveChange }: { header?: ComponentChildren; onLiveChange?: () => void }) {
  const { t, lang } = useTranslation();
  const [filters, setFilters] = useState<Filters>(filtersFromUrl);
  const [searchInput, setSearchInput] = useState(filters.q);
  const debouncedSearch = useDebounce(searchInput.trim(), SEARCH_DEBOUNCE_MS);
  const highlighted = useQueueLive(onLiveChange);

  useEffect(() => {
    setFilters((f) => (f.q === debouncedSearch ? f : { ...f, q: debouncedSearch, page: 1 }));
  }, [debouncedSearch]);
  useEffect(() => syncUrl(filters), [filters]);

  const params: QueueParams = {
    ...(filters.assignee !== 'all' ? { assignee: filters.assignee } : {}),
    status: filters.status,
    ...(filters.priority ? { priority: filters.priority } : {}),
    ...(filters.q ? { q: filters.q } : {}),
    sort: filters.sort,
    order: filters.order,
    page: filters.page,
    limit: PAGE_SIZE,
  };
  const query = useTickets(params);
  const update = (patch: Partial<Filters>) => setFilters((f) => ({ ...f, page: 1, ...patch }));
  const pagination = query.data?.pagination;

  return (
    <div class="page">
      <header class="page-header">
        <h1>{t('queue.title')}</h1>
      </header>
      {header}
      <section class="card" aria-labelledby="queue-heading">
        <div class="card-header">
          <h2 id="queue-heading">{t('queue.tickets')}</h2>
          {pagination && (
            <span class="muted" aria-live="polite">
              {t('queue.total', { count: pagination.total })}
            </span>
          )}
        </div>
        <div class="segmented" role="group" aria-label={t('queue.assigneeFilter')}>
          {ASSIGNEE_FILTERS.map((a) => (
            <button
              key={a}
              type="button"
              class={`btn btn-small ${filters.assignee === a ? '' : 'btn-ghost'}`}
              aria-pressed={filters.assignee === a}
              onClick={() => update({ assignee: a })}
            >
              {t(`queue.assignee.${a}`)}
            </button>
          ))}
        </div>
        <form class="toolbar" role="search" onSubmit={(e) => e.preventDefault()}>
          <label class="field field-grow">
            <span>{t('queue.search')}</span>
            <input
              type="search"
              value={searchInput}
              maxLength={AGENT_LIMITS.searchMaxChars}
              placeholder={t('queue.searchPlaceholder')}
              onInput={(e) => setSearchInput(e.currentTarget.value)}
            />
          </label>
          <div class="field">
            <label for="queue-status">{t('queue.status')}</label>
            <select id="queue-status" value={filters.status} onChange={(e) => update({ status: e.currentTarget.value as Filters['status'] })}>
              {QUEUE_STATUS_FILTERS.map((s) => (
                <option key={s} value={s}>
                  {s === 'all' ? t('queue.allStatuses') : t(`status.${s}`)}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="queue-priority">{t('queue.priority')}</label>
            <select id="queue-priority"
              value={filters.priority}
              onChange={(e) => update({ priority: e.currentTarget.value as Filters['priority'] })}
            >
              <option value="">{t('queue.allPriorities')}</option>
              {TICKET_PRIORITIES.map((p) => (
                <option key={p} value={p}>
                  {t(`priority.${p}`)}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="queue-sort">{t('queue.sort')}</label>
            <select id="queue-sort" value={filters.sort} onChange={(e) => update({ sort: e.currentTarget.value as Filters['sort'] })}>
              {QUEUE_SORTS.map((s) => (
                <option key={s} value={s}>
                  {t(`queue.sortBy.${s}`)}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="queue-order">{t('queue.order')}</label>
            <select id="queue-order" value={filters.order} onChange={(e) => update({ order: e.currentTarget.value as Filters['order'] })}>
              <option value="desc">{t('queue.desc')}</option>
              <option value="asc">{t('queue.asc')}</option>
            </select>
          </div>
        </form>

        {query.isPending ? (
          <Loading />
        ) : query.isError && !query.data ? (
          <ErrorState error={query.error} onRetry={() => void query.refetch()} />
        ) : query.data.tickets.length === 0 ? (
          <EmptyState>{t('queue.empty')}</EmptyState>
        ) : (
          <div class="table-wrap">
            <table class="table queue-table" aria-describedby="queue-heading" aria-busy={query.isFetching}>
              <thead>
                <tr>
                  <th scope="col">{t('queue.colCustomer')}</th>
                  <th scope="col">{t('queue.colStatus')}</th>
                  <th scope="col">{t('queue.colPriority')}</th>
                  <th scope="col">{t('queue.colCreated')}</th>
                  <th scope="col">{t('queue.colUpdated')}</th>
                </tr>
              </thead>
              <tbody>
                {query.data.tickets.map((ticket) => (
                  <tr key={ticket.id} class={highlighted.has(ticket.id) ? 'row-live' : undefined} data-ticket-id={ticket.id}>
                    <td>
                      <Link to={`/tickets/${ticket.id}`} class="ticket-link">
                        <span class="ticket-email">{ticket.email}</span>
                        <span class="ticket-excerpt">{ticket.message}</span>
                      </Link>
                    </td>
                    <td>
                      <StatusBadge status={ticket.status} />
                    </td>
                    <td>
                      <PriorityBadge priority={ticket.priority} />
                    </td>
                    <td>
                      <time dateTime={ticket.created_at} title={ticket.created_at}>
                        {formatRelative(ticket.created_at, lang)}
                      </time>
                    </td>
                    <td>
                      <time dateTime={ticket.updated_at} title={ticket.updated_at}>
                        {formatRelative(ticket.updated_at, lang)}
                      </time>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}

        {pagination && pagination.totalPages > 1 && (
          <nav class="pagination" aria-label={t('queue.pagination')}>
            <button
              type="button"
              class="btn"
              disabled={filters.page <= 1}
              onClick={() => setFilters((f) => ({ ...f, page: f.page - 1 }))}
            >
              {t('queue.previous')}
            </button>
            <span aria-current="page">{t('queue.pageOf', { page: pagination.page, total: pagination.totalPages })}</span>
            <button
              type="button"
              class="btn"
              disabled={filters.page >= pagination.totalPages}
              onClick={() => setFilters((f) => ({ ...f, page: f.page + 1 }))}
            >
              {t('queue.next')}
            </button>
          </nav>
        )}
      </section>
    </div>
  );
}
