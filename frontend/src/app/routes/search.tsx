import { useEffect, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { SearchPanel } from '@/features/chat/components/search-panel';
import { useRooms } from '@/features/rooms/api/get-rooms';

const NO_FILTERS = {};
/** Room titles for the filter and the results: the user's rooms, a few pages at most. */
const MAX_ROOM_PAGES = 10;

/** /search?q=&room= — message search across the user's rooms (state in the URL). */
export function SearchRoute() {
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const roomId = params.get('room');
  const rooms = useRooms(NO_FILTERS);
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = rooms;
  const pages = rooms.data?.pages.length ?? 0;
  useEffect(() => {
    if (hasNextPage && !isFetchingNextPage && pages < MAX_ROOM_PAGES) void fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, pages, fetchNextPage]);
  const list = useMemo(
    () => (rooms.data?.pages ?? []).flatMap((page) => page.rooms).map((r) => ({ room_id: r.room_id, title: r.title })),
    [rooms.data],
  );
  return (
    <div className="page">
      <SearchPanel
        key={`${q}\n${roomId ?? ''}`}
        rooms={list}
        q={q}
        roomId={roomId}
        onSearch={(nextQ, nextRoom) => {
          const next = new URLSearchParams({ q: nextQ });
          if (nextRoom) next.set('room', nextRoom);
          setParams(next);
        }}
      />
    </div>
  );
}
