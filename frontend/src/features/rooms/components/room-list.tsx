import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '@/components/error-alert';
import { Loading } from '@/components/loading';
import { useRooms } from '@/features/rooms/api/get-rooms';
import { RoomListItem } from '@/features/rooms/components/room-list-item';
import type { RoomFilters } from '@/features/rooms/types';

export function RoomList({ filters, hasFilters }: { filters: RoomFilters; hasFilters: boolean }) {
  const { t } = useTranslation();
  const query = useRooms(filters);

  if (query.isPending) return <Loading />;
  if (query.isError && !query.data) return <ErrorAlert error={query.error} onRetry={() => void query.refetch()} />;

  const rooms = query.data?.pages.flatMap((page) => page.rooms) ?? [];

  if (rooms.length === 0) {
    return <p className="empty-state">{hasFilters ? t('rooms.emptyFiltered') : t('rooms.empty')}</p>;
  }

  return (
    <>
      <ul className="room-list" aria-label={t('rooms.listLabel')}>
        {rooms.map((room) => (
          <RoomListItem key={room.room_id} room={room} />
        ))}
      </ul>
      {query.isFetchNextPageError ? <ErrorAlert error={query.error} /> : null}
      {query.hasNextPage ? (
        <div className="load-more">
          <button
            type="button"
            className="button button-secondary"
            onClick={() => void query.fetchNextPage()}
            disabled={query.isFetchingNextPage}
          >
            {query.isFetchingNextPage ? t('rooms.loadingMore') : t('rooms.loadMore')}
          </button>
        </div>
      ) : null}
    </>
  );
}
