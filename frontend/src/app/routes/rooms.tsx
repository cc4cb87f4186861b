import { Suspense, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { CreateRoomDialog } from '@/app/route-chunks';
import { RoomFilters } from '@/features/rooms/components/room-filters';
import { RoomList } from '@/features/rooms/components/room-list';
import { useRoomFilters } from '@/features/rooms/hooks/use-room-filters';

export function RoomsRoute() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { filters, setFilter, setFilters, clearFilters, hasFilters } = useRoomFilters();
  const [creating, setCreating] = useState(false);
  const openerRef = useRef<HTMLButtonElement>(null);
  return (
    <div className="page rooms-page">
      <div className="page-heading">
        <h1>{t('rooms.heading')}</h1>
        <button
          ref={openerRef}
          type="button"
          className="button button-primary"
          onClick={() => setCreating(true)}
          aria-haspopup="dialog"
        >
          <span aria-hidden="true">＋</span>
          {t('createRoom.open')}
        </button>
      </div>
      <RoomFilters
        filters={filters}
        onChange={setFilter}
        onPlaceChange={setFilters}
        onClear={clearFilters}
        hasFilters={hasFilters}
      />
      <RoomList filters={filters} hasFilters={hasFilters} />
      {creating ? (
        <Suspense fallback={null}>
          <CreateRoomDialog
            onClose={() => setCreating(false)}
            onCreated={(room) => {
              setCreating(false);
              void navigate(`/rooms/${encodeURIComponent(room.room_id)}`);
            }}
          />
        </Suspense>
      ) : null}
    </div>
  );
}
