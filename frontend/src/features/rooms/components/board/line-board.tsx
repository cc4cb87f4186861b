import { useEffect, useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { ConnectionStatus } from '@/components/connection-status';
import { ErrorAlert } from '@/components/error-alert';
import { Loading } from '@/components/loading';
import { formatTime } from '@/lib/format';
import { useNow } from '@/lib/use-now';
import { useBoardRooms, type BoardScope } from '@/features/rooms/api/get-board-rooms';
import { BoardCard } from '@/features/rooms/components/board/board-card';
import { PlaceFilterSelects, type PlacePatch } from '@/features/rooms/components/place-filter';
import { pickNodeId } from '@/features/rooms/hooks/use-room-filters';
import { matchesBoardFilter, sortForBoard } from '@/features/rooms/utils/board-order';
import { isUnacknowledged } from '@/features/rooms/utils/room-timers';

function BoardClock() {
  const { i18n } = useTranslation();
  const now = useNow();
  const iso = new Date(now).toISOString();
  return (
    <time className="board-clock" dateTime={iso}>
      {formatTime(iso, i18n.language)}
    </time>
  );
}

function useFullscreen() {
  const supported = typeof document !== 'undefined' && Boolean(document.fullscreenEnabled);
  const [active, setActive] = useState(() => Boolean(document.fullscreenElement));
  useEffect(() => {
    const update = () => setActive(Boolean(document.fullscreenElement));
    document.addEventListener('fullscreenchange', update);
    return () => document.removeEventListener('fullscreenchange', update);
  }, []);
  const toggle = () => {
    if (document.fullscreenElement) void document.exitFullscreen();
    else void document.documentElement.requestFullscreen();
  };
  return { supported, active, toggle };
}

/**
 * /board: a full-screen view for a TV at the line. Open rooms, unacknowledged first, then by
 * severity, with large timers; the socket keeps it live (room list frames) and it refetches
 * every minute as a safety net. `?area_id=` / `?line_id=` (selects fed by the plant) go to the
 * API; `?q=` filters the answer in the browser by any word.
 */
export function LineBoard({ scope }: { scope: BoardScope }) {
  const { t } = useTranslation();
  const filterId = useId();
  const [params, setParams] = useSearchParams();
  const filter = params.get('q') ?? '';
  const areaId = pickNodeId(params.get('area_id'));
  const lineId = pickNodeId(params.get('line_id'));
  const place = useMemo(() => ({ area_id: areaId, line_id: lineId }), [areaId, lineId]);
  const query = useBoardRooms(scope, place);
  const fullscreen = useFullscreen();

  const setFilter = (value: string) =>
    setParams(
      (previous) => {
        const next = new URLSearchParams(previous);
        if (value) next.set('q', value);
        else next.delete('q');
        return next;
      },
      { replace: true },
    );

  const setPlace = (patch: PlacePatch) =>
    setParams(
      (previous) => {
        const next = new URLSearchParams(previous);
        for (const [key, value] of Object.entries(patch)) {
          if (value) next.set(key, value);
          else next.delete(key);
        }
        return next;
      },
      { replace: true },
    );

  const rooms = sortForBoard((query.data ?? []).filter((room) => matchesBoardFilter(room, filter)));
  const waiting = rooms.filter(isUnacknowledged).length;

  return (
    <div className="board">
      <header className="board-header">
        <h1 className="board-title">{t('board.heading')}</h1>
        <BoardClock />
        <div className="board-tools">
          <PlaceFilterSelects value={place} onChange={setPlace} fieldClassName="board-filter board-place" />
          <div className="board-filter">
            <label htmlFor={filterId}>{t('board.filter')}</label>
            <input
              id={filterId}
              type="search"
              value={filter}
              onChange={(event) => setFilter(event.target.value)}
              placeholder={t('board.filterPlaceholder')}
              autoComplete="off"
            />
          </div>
          <ConnectionStatus />
          {fullscreen.supported ? (
            <button type="button" className="button board-button" onClick={fullscreen.toggle} aria-pressed={fullscreen.active}>
              {fullscreen.active ? t('board.exitFullscreen') : t('board.fullscreen')}
            </button>
          ) : null}
          <Link to="/rooms" className="button board-button">
            {t('board.back')}
          </Link>
        </div>
      </header>
      <main className="board-main">
        {query.isPending ? (
          <Loading />
        ) : query.isError && !query.data ? (
          <ErrorAlert error={query.error} onRetry={() => void query.refetch()} />
        ) : (
          <>
            <p className="board-summary" role="status">
              {t('board.summary', { count: rooms.length, waiting })}
            </p>
            {rooms.length === 0 ? (
              <p className="board-empty">{filter || areaId || lineId ? t('board.emptyFiltered') : t('board.empty')}</p>
            ) : (
              <ol className="board-list" aria-label={t('board.listLabel')}>
                {rooms.map((room) => (
                  <BoardCard key={room.room_id} room={room} />
                ))}
              </ol>
            )}
          </>
        )}
      </main>
    </div>
  );
}
