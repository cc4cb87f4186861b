import { Fragment } from 'react';
import { useTranslation } from 'react-i18next';
import { describePlace, usePlant } from '@/lib/plant';
import type { Room } from '@/features/rooms/types';

type Placed = Pick<Room, 'area_id' | 'line_id' | 'station_id' | 'equipment_id'>;

/** True when the room names a place in the plant or a tool. */
export function hasPlace(room: Placed): boolean {
  return Boolean(room.area_id || room.line_id || room.station_id || room.equipment_id);
}

/** The place's parts in order, as names (ids where the plant no longer lists them). */
export function usePlaceParts(room: Placed): Array<{ key: 'area' | 'line' | 'station' | 'equipment'; text: string }> {
  const plant = usePlant();
  const names = describePlace(plant.data, room);
  return (['area', 'line', 'station', 'equipment'] as const).flatMap((key) => {
    const text = names[key];
    return text ? [{ key, text }] : [];
  });
}

/**
 * Where a room is: area / line / station / equipment. `compact` is one line of text (the room
 * list, the board); otherwise a labelled description list (the room header).
 */
export function RoomPlace({ room, variant, className }: { room: Placed; variant: 'compact' | 'full'; className?: string }) {
  const { t } = useTranslation();
  const parts = usePlaceParts(room);
  if (parts.length === 0) return null;
  if (variant === 'compact') {
    // Callers label it (a <dt>, a visually hidden prefix); the equipment carries its own word.
    return (
      <span className={className ?? 'room-place'}>
        {parts.map((part, index) => (
          <Fragment key={part.key}>
            {index > 0 ? <span className="room-place-separator"> / </span> : null}
            <span className={`room-place-part room-place-${part.key}`}>
              {part.key === 'equipment' ? `${t('place.equipmentShort')} ${part.text}` : part.text}
            </span>
          </Fragment>
        ))}
      </span>
    );
  }
  return (
    <div role="group" aria-label={t('place.label')} className={className ?? 'room-place room-place-full'}>
      <dl>
        {parts.map((part) => (
          <div key={part.key}>
            <dt>{t(`place.${part.key}`)}</dt>
            <dd>{part.text}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}
