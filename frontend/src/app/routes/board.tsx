import { useSession } from '@/lib/session';
import { useImposedTheme } from '@/lib/theme';
import { useRealtimeConnection } from '@/lib/socket/hooks';
import { LineBoard } from '@/features/rooms/components/board/line-board';
import { useRoomsLive } from '@/features/rooms/hooks/use-rooms-live';

/**
 * /board: the line board, full screen without the app bar (a TV at the line). It keeps its
 * own WebSocket open so room list frames update it live; administrators see every room.
 */
export function BoardRoute() {
  const { user } = useSession();
  useRealtimeConnection();
  useRoomsLive();
  useImposedTheme('dark'); // high-contrast dark by default
  return <LineBoard scope={user?.is_admin ? 'all' : 'mine'} />;
}
