import { Suspense } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { CreateRoomDialog } from '@/app/route-chunks';
import { RoomsRoute } from '@/app/routes/rooms';

/**
 * /rooms/new?line_id=…&station_id=… — where a station's QR code points (after login if
 * needed): the room list with the create-room dialog open, line and station pre-filled.
 */
export function NewRoomRoute() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const place = { line_id: params.get('line_id') ?? '', station_id: params.get('station_id') ?? '' };
  return (
    <>
      <RoomsRoute />
      <Suspense fallback={null}>
        <CreateRoomDialog
          key={`${place.line_id}/${place.station_id}`}
          initialPlace={place}
          onClose={() => void navigate('/rooms', { replace: true })}
          onCreated={(room) => void navigate(`/rooms/${encodeURIComponent(room.room_id)}`, { replace: true })}
        />
      </Suspense>
    </>
  );
}
