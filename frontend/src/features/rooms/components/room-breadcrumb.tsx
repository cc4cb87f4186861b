import { useRoom } from '@/features/rooms/api/get-room';

/** The room's title for breadcrumbs; the id (shortened) until it has loaded. */
export function RoomBreadcrumb({ roomId }: { roomId: string }) {
  const { data } = useRoom(roomId);
  return <>{data?.title ?? `${roomId.slice(0, 8)}…`}</>;
}
