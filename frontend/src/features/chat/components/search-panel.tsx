import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ErrorAlert } from '@/components/error-alert';
import { useMessageSearch } from '@/features/chat/api/search-messages';
import { formatDateTimeFull, fallbackName } from '@/features/chat/utils/format';
import { splitHighlights } from '@/features/chat/utils/highlight';

export type SearchRoom = { room_id: string; title: string };

type SearchPanelProps = {
  /** The user's rooms: the filter's options and the titles of results. */
  rooms: SearchRoom[];
  q: string;
  roomId: string | null;
  /** A new search (the page keeps it in the URL, so Back returns to the results). */
  onSearch: (q: string, roomId: string | null) => void;
};

/**
 * Message search: keywords (Chinese inside sentences, English words), optional room filter;
 * results newest first with the matched spans in <mark>, room title and time; each opens the
 * room at that message (`?focus=<sequence_number>`); "load more" follows next_cursor.
 */
export function SearchPanel({ rooms, q, roomId, onSearch }: SearchPanelProps) {
  const { t, i18n } = useTranslation();
  const id = useId();
  const [text, setText] = useState(q);
  const [room, setRoom] = useState(roomId ?? '');
  const search = useMessageSearch(q, roomId);
  const titles = new Map(rooms.map((r) => [r.room_id, r.title]));
  const results = search.data?.pages.flatMap((page) => page.results) ?? [];

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!text.trim()) return;
    onSearch(text.trim(), room || null);
  }

  return (
    <section className="search-page" aria-labelledby={`${id}-heading`}>
      <h1 id={`${id}-heading`}>{t('search.heading')}</h1>
      <form className="search-form" role="search" onSubmit={submit}>
        <div className="field">
          <label htmlFor={`${id}-q`}>{t('search.query')}</label>
          <input
            id={`${id}-q`}
            type="search"
            value={text}
            maxLength={100}
            placeholder={t('search.placeholder')}
            onChange={(event) => setText(event.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-room`}>{t('search.room')}</label>
          <select id={`${id}-room`} value={room} onChange={(event) => setRoom(event.target.value)}>
            <option value="">{t('search.allRooms')}</option>
            {rooms.map((r) => (
              <option key={r.room_id} value={r.room_id}>
                {r.title}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="button button-primary" disabled={!text.trim()}>
          {t('search.submit')}
        </button>
      </form>
      {!q ? (
        <p className="placeholder">{t('search.hint')}</p>
      ) : search.isPending ? (
        <p className="loading" role="status">
          {t('search.loading')}
        </p>
      ) : search.isError ? (
        <ErrorAlert error={search.error} onRetry={() => void search.refetch()} />
      ) : results.length === 0 ? (
        <p className="placeholder" role="status">
          {t('search.none')}
        </p>
      ) : (
        <>
          <p className="search-count" role="status">
            {t('search.results', { count: results.length })}
            {search.hasNextPage ? '+' : ''}
          </p>
          <ol className="search-results" data-testid="search-results">
            {results.map(({ message, highlights }) => {
              const text = typeof message.content === 'string' ? message.content : '';
              return (
                <li key={message.message_id} className="search-result" data-testid="search-result">
                  <Link
                    className="search-result-link"
                    to={`/rooms/${encodeURIComponent(message.room_id)}?focus=${message.sequence_number}`}
                    aria-label={`${titles.get(message.room_id) ?? t('search.untitled')}：${text.slice(0, 80)}`}
                  >
                    <span className="search-result-meta">
                      <span className="search-result-room">{titles.get(message.room_id) ?? t('search.untitled')}</span>
                      <span className="search-result-sender">{fallbackName(message.sender_id)}</span>
                      <time dateTime={message.created_at}>{formatDateTimeFull(message.created_at, i18n.language)}</time>
                    </span>
                    <span className="search-result-text">
                      {splitHighlights(text, highlights).map((part, index) =>
                        part.hit ? <mark key={index}>{part.text}</mark> : <span key={index}>{part.text}</span>,
                      )}
                    </span>
                  </Link>
                </li>
              );
            })}
          </ol>
          {search.hasNextPage ? (
            <button
              type="button"
              className="button button-secondary"
              disabled={search.isFetchingNextPage}
              onClick={() => void search.fetchNextPage()}
            >
              {search.isFetchingNextPage ? t('search.loading') : t('search.more')}
            </button>
          ) : null}
        </>
      )}
    </section>
  );
}
