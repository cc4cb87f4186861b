import { useTranslation } from 'react-i18next';
import { RoomFilters } from '@/features/rooms/components/room-filters';
import { RoomList } from '@/features/rooms/components/room-list';
import { useRoomFilters } from '@/features/rooms/hooks/use-room-filters';

export function RoomsRoute() {
  const { t } = useTranslation();
  const { filters, setFilter, clearFilters, hasFilters } = useRoomFilters();
  return (
    <div className="page rooms-page">
      <h1>{t('rooms.heading')}</h1>
      <RoomFilters filters={filters} onChange={setFilter} onClear={clearFilters} hasFilters={hasFilters} />
      <RoomList filters={filters} hasFilters={hasFilters} />
    </div>
  );
}
